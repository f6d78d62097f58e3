using Newsroom.Text;

namespace Newsroom.UnitTests.Text;

public sealed class VietnameseTextTests
{
    [Theory]
    [InlineData("Đắk Lắk: Mùa cà phê 2026", "dak-lak-mua-ca-phe-2026")]
    [InlineData("Phường Đồng Tâm ra mắt mô hình một cửa", "phuong-dong-tam-ra-mat-mo-hinh-mot-cua")]
    [InlineData("  Xử lý nghiêm -- tình trạng   khai thác cát!!! ", "xu-ly-nghiem-tinh-trang-khai-thac-cat")]
    [InlineData("Nghị quyết số 25/NQ-TW (khóa XI)", "nghi-quyet-so-25-nq-tw-khoa-xi")]
    [InlineData("ĐƯỜNG ĐI ĐẾN TRƯỜNG", "duong-di-den-truong")]
    [InlineData("Chuyện \"người giữ lửa\" – làng nghề", "chuyen-nguoi-giu-lua-lang-nghe")]
    public void Slugify_folds_marks_maps_d_and_joins_words_with_single_hyphens(string title, string expected) =>
        Assert.Equal(expected, VietnameseText.Slugify(title));

    [Fact]
    public void Slugify_handles_decomposed_input_the_same_as_precomposed()
    {
        var precomposed = "Nghệ An";
        var decomposed = precomposed.Normalize(System.Text.NormalizationForm.FormD);
        Assert.NotEqual(precomposed, decomposed);
        Assert.Equal(VietnameseText.Slugify(precomposed), VietnameseText.Slugify(decomposed));
    }

    [Fact]
    public void Slugify_caps_length_at_a_word_boundary()
    {
        var slug = VietnameseText.Slugify("Tỉnh đẩy nhanh tiến độ giải ngân vốn đầu tư công những tháng cuối năm", 30);
        Assert.Equal("tinh-day-nhanh-tien-do-giai", slug);
        Assert.True(slug.Length <= 30);
        Assert.False(slug.EndsWith('-'));
    }

    [Fact]
    public void Slugify_cuts_a_single_overlong_word_hard() =>
        Assert.Equal("abcde", VietnameseText.Slugify("abcdefghij", 5));

    [Theory]
    [InlineData("")]
    [InlineData("!!! ??? …")]
    [InlineData("《》")]
    public void Slugify_of_nothing_sluggable_is_empty(string title) => Assert.Equal("", VietnameseText.Slugify(title));

    [Fact]
    public void Fold_keeps_case_and_punctuation() =>
        Assert.Equal("Dang vien D? no: Dong Thap, Hue!", VietnameseText.Fold("Đảng viên Đ? no: Đồng Tháp, Huế!"));

    [Theory]
    [InlineData("dak-lak", true)]
    [InlineData("Dak-lak", false)]
    [InlineData("dak--lak", false)]
    [InlineData("-dak", false)]
    [InlineData("đắk", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsSlug_accepts_only_canonical_slugs(string? candidate, bool expected) =>
        Assert.Equal(expected, VietnameseText.IsSlug(candidate));
}
