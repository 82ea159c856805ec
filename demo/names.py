"""Vietnamese name pools for the synthetic data. Every place name here is invented for the demo."""

from __future__ import annotations

PROVINCE_NAME = "Tỉnh Lạc Hồng (dữ liệu mô phỏng)"
LOCALITY_ISSUER = {"code": "DEMO", "name": "UBND tỉnh Lạc Hồng (dữ liệu mô phỏng)"}
NATIONAL_ISSUER = {"code": "DEMO", "name": "UBND các tỉnh mô phỏng (dữ liệu mô phỏng)"}

# (name, Loại đơn vị, alias); the first 20 are a province's usual set, the rest extend it when one has more.
DEPARTMENTS: list[tuple[str, str, str]] = [
    ("Sở Nội vụ", "sở", "SNV"),
    ("Sở Tài chính", "sở", "STC"),
    ("Sở Tư pháp", "sở", "STP"),
    ("Sở Kế hoạch và Đầu tư", "sở", "Sở KH&ĐT"),
    ("Sở Xây dựng", "sở", "SXD"),
    ("Sở Công Thương", "sở", "SCT"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "sở", "Sở NN&PTNT"),
    ("Sở Tài nguyên và Môi trường", "sở", "Sở TN&MT"),
    ("Sở Giao thông vận tải", "sở", "Sở GTVT"),
    ("Sở Lao động - Thương binh và Xã hội", "sở", "Sở LĐTB&XH"),
    ("Sở Thông tin và Truyền thông", "sở", "Sở TT&TT"),
    ("Sở Giáo dục và Đào tạo", "sở", "Sở GD&ĐT"),
    ("Sở Y tế", "sở", "SYT"),
    ("Sở Khoa học và Công nghệ", "sở", "Sở KH&CN"),
    ("Sở Văn hóa, Thể thao và Du lịch", "sở", "Sở VHTT&DL"),
    ("Sở Ngoại vụ", "sở", "SNgV"),
    ("Sở Du lịch", "sở", "SDL"),
    ("Thanh tra tỉnh", "sở", "TTT"),
    ("Ban Dân tộc", "ban", "BDT"),
    ("Ban Quản lý các khu công nghiệp", "ban", "BQL KCN"),
    ("Văn phòng UBND tỉnh", "sở", "VP UBND"),
    ("Ban Quản lý dự án đầu tư xây dựng", "ban", "BQLDA"),
]

# Locality districts: (Loại đơn vị, name without the kind word). The last one is an island district.
DISTRICTS: list[tuple[str, str]] = [
    ("thành phố", "Lạc Hồng"),
    ("thị xã", "Bình An"),
    ("huyện", "Tân Phước"),
    ("huyện", "Hòa Lâm"),
    ("huyện", "Vĩnh Xuân"),
    ("huyện", "Đông Sơn"),
    ("huyện", "Mỹ Thạnh"),
    ("huyện", "Hòn Lạc"),
]
ISLAND_DISTRICT = "Hòn Lạc"

# Syllables that commune names are built from (two of them: "Tân Phú", "An Bình"…).
COMMUNE_FIRST = [
    "An",
    "Bình",
    "Hòa",
    "Long",
    "Phú",
    "Tân",
    "Mỹ",
    "Vĩnh",
    "Phước",
    "Đông",
    "Tây",
    "Thạnh",
    "Hưng",
    "Thuận",
    "Hiệp",
    "Xuân",
    "Quang",
    "Trung",
    "Nhơn",
    "Khánh",
    "Thới",
    "Lộc",
]
COMMUNE_SECOND = [
    "Phú",
    "Bình",
    "Hòa",
    "Lợi",
    "Thạnh",
    "Hưng",
    "Lộc",
    "Sơn",
    "Thành",
    "Điền",
    "Phong",
    "Tân",
    "Mỹ",
    "An",
    "Thuận",
    "Hiệp",
    "Trung",
    "Long",
    "Xuân",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Khánh",
]

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Trương",
    "Đinh",
    "Lâm",
    "Mai",
]
# rough frequencies: Nguyễn is about a third of the population
FAMILY_WEIGHTS = [31, 11, 9.5, 7, 5, 5, 4.5, 4, 4, 2, 2, 1.4, 1.3, 1.3, 1, 1, 1, 1, 1, 1]
MIDDLE_MALE = ["Văn", "Hữu", "Minh", "Quốc", "Đức", "Thanh", "Công", "Ngọc", "Hoàng", "Trọng"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Kim", "Thị Thu", "Thị Ngọc", "Hồng", "Bích"]
GIVEN_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hùng",
    "Huy",
    "Khoa",
    "Long",
    "Minh",
    "Nam",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tâm",
    "Thắng",
    "Thành",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
]
GIVEN_FEMALE = [
    "Anh",
    "Châu",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hương",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Thảo",
    "Trang",
    "Tuyết",
    "Vân",
    "Xuân",
    "Yến",
]

# The head first: the first person of every unit holds it.
POSITIONS: dict[str, tuple[str, list[str]]] = {
    "sở": (
        "Giám đốc",
        ["Phó Giám đốc", "Chánh Văn phòng", "Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên", "Chuyên viên chính"],
    ),
    "ban": ("Trưởng ban", ["Phó Trưởng ban", "Chánh Văn phòng", "Trưởng phòng", "Chuyên viên"]),
    "district": (
        "Chủ tịch UBND",
        ["Phó Chủ tịch UBND", "Chánh Văn phòng HĐND và UBND", "Trưởng phòng Nội vụ", "Chuyên viên Phòng Nội vụ"],
    ),
    "commune": (
        "Chủ tịch UBND",
        [
            "Phó Chủ tịch UBND",
            "Công chức Văn phòng - Thống kê",
            "Công chức Tư pháp - Hộ tịch",
            "Công chức Địa chính - Xây dựng",
            "Công chức Văn hóa - Xã hội",
        ],
    ),
}

INITIATIVES = [
    "Số hóa hồ sơ, kết quả giải quyết TTHC tại Bộ phận Một cửa",
    "Trả lời phản ánh, kiến nghị của người dân qua Zalo OA",
    "Quy trình nội bộ điện tử giải quyết hồ sơ đất đai",
    "Tổ công nghệ số cộng đồng hướng dẫn dịch vụ công trực tuyến",
    "Ký số kết quả giải quyết TTHC, trả kết quả bản điện tử",
    "Bảng theo dõi tiến độ nhiệm vụ CCHC trên phần mềm dùng chung",
    'Mô hình "Thứ Bảy cùng dân" tiếp nhận hồ sơ ngoài giờ',
    "Thanh toán không dùng tiền mặt phí, lệ phí TTHC",
]

SANCTION_NOTES = {
    "kỷ luật": [
        "Vi phạm thời hạn giải quyết hồ sơ TTHC",
        "Vi phạm quy định về quản lý tài chính",
        "Thiếu trách nhiệm trong thực hiện nhiệm vụ được giao",
        "Vi phạm quy tắc ứng xử công vụ",
    ],
    "điều tra": ["Cơ quan điều tra đang xác minh", "Đang điều tra vụ việc liên quan đến đấu thầu"],
    "khiếu nại": ["Đang xác minh nội dung khiếu nại", "Khiếu nại về kết quả giải quyết hồ sơ đang xác minh"],
}
