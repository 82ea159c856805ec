"""Files for people: charts, tables and reports that leave parboard for Word and Excel."""
