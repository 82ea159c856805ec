"""The command line: `parboard load`, `check`, `simulate`, `report`, `serve`… over the service layer."""
