"""The English detector of the per-role walk must itself be right: it flags what an
untranslated screen shows and passes real Vietnamese (no browser needed)."""
from tests.browser.english import english_words


def test_untranslated_words_are_found():
    assert english_words("Danh sách người dùng Cancel OK") == ["Cancel"]
    assert english_words("Đang hoạt động? True Cơ quan None") == ["True", "None"]
    assert english_words("List Users · Search · Add Filter · Record Count: 9") == [
        "List", "Users", "Search", "Add", "Filter", "Record", "Count"]
    assert english_words("Task due soon") == ["Task", "due", "soon"]


def test_vietnamese_names_codes_and_allowed_words_pass():
    text = ("Theo dõi nhiệm vụ UBND tỉnh Khánh Hòa. Xã Cam An, Phường Bảo An, Xã Ninh Hải; "
            "Số: 123/UBND-TH ngày 02/12/2026; điểm d khoản 3 Điều 5; Xuất Excel, tải PDF; "
            "Test officer (OfficeOfficial) officer@khanhhoa.invalid app/permissions.py")
    assert english_words(text) == []
