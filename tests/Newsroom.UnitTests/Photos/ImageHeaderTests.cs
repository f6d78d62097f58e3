using System.Text;
using NetVips;
using Newsroom.Photos;

namespace Newsroom.UnitTests.Photos;

public sealed class ImageHeaderTests
{
    [Fact]
    public void Jpeg_png_and_webp_are_recognised_with_their_declared_size()
    {
        using var image = Image.Black(321, 123, bands: 3).Cast(Enums.BandFormat.Uchar);
        Assert.Equal(new ImageHeader(ImageFormat.Jpeg, 321, 123), ImageHeader.TryRead(image.JpegsaveBuffer()));
        Assert.Equal(new ImageHeader(ImageFormat.Png, 321, 123), ImageHeader.TryRead(image.PngsaveBuffer()));
        Assert.Equal(new ImageHeader(ImageFormat.WebP, 321, 123), ImageHeader.TryRead(image.WebpsaveBuffer()));
        Assert.Equal(new ImageHeader(ImageFormat.WebP, 321, 123), ImageHeader.TryRead(image.WebpsaveBuffer(lossless: true)));
        using var alpha = image.Bandjoin(255);
        Assert.Equal(new ImageHeader(ImageFormat.WebP, 321, 123), ImageHeader.TryRead(alpha.WebpsaveBuffer()));
    }

    [Fact]
    public void A_jpeg_with_a_large_exif_block_before_its_frame_is_still_read()
    {
        var path = TestImages.CameraJpeg(6, Path.GetTempPath());
        try
        {
            var header = ImageHeader.TryRead(File.ReadAllBytes(path));
            Assert.Equal(ImageFormat.Jpeg, header!.Format);
            Assert.Equal((TestImages.Height, TestImages.Width), (header.Width, header.Height));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_cmyk_jpeg_whose_icc_profile_fills_the_first_megabyte_is_read_to_its_frame()
    {
        var file = CmykJpeg.Adobe(embedProfile: true);
        Assert.True(file.Length > 900_000);
        Assert.Equal(new ImageHeader(ImageFormat.Jpeg, CmykJpeg.Width, CmykJpeg.Height), ImageHeader.TryRead(file));
        Assert.Equal(new ImageHeader(ImageFormat.Jpeg, CmykJpeg.Width, CmykJpeg.Height), ImageHeader.TryRead(CmykJpeg.Ycck(CmykJpeg.Profile())));
    }

    [Fact]
    public void A_jpeg_cut_inside_its_profile_is_unreadable()
    {
        var file = CmykJpeg.Adobe(embedProfile: true);
        Assert.Null(ImageHeader.TryRead(file[..300_000]));
    }

    [Fact]
    public void A_tiny_png_claiming_50000_by_50000_reports_that_size_without_decoding()
    {
        var header = ImageHeader.TryRead(TestImages.PngClaiming(50_000, 50_000))!;
        Assert.Equal(2_500_000_000, header.Pixels);
    }

    [Theory]
    [InlineData("GIF89a\u0001\u0000\u0001\u0000")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")]
    [InlineData("<!DOCTYPE html><html><body>xin chào</body></html>")]
    [InlineData("Chỉ là văn bản thôi")]
    [InlineData("%PDF-1.7")]
    [InlineData("")]
    public void Anything_else_is_not_an_image_we_take(string content) =>
        Assert.Null(ImageHeader.Sniff(Encoding.UTF8.GetBytes(content)));

    [Fact]
    public void A_polyglot_is_judged_by_its_first_bytes_not_by_what_it_contains()
    {
        using var image = Image.Black(8, 8, bands: 3).Cast(Enums.BandFormat.Uchar);
        var polyglot = Encoding.ASCII.GetBytes("GIF89a<script>alert(1)</script>").Concat(image.JpegsaveBuffer()).ToArray();
        Assert.Null(ImageHeader.Sniff(polyglot));
    }

    [Fact]
    public void A_header_cut_short_is_unreadable()
    {
        using var image = Image.Black(10, 10, bands: 3).Cast(Enums.BandFormat.Uchar);
        Assert.Null(ImageHeader.TryRead(image.PngsaveBuffer()[..20]));
        Assert.Null(ImageHeader.TryRead(image.JpegsaveBuffer()[..4]));
    }
}
