using NetVips;
using Newsroom.Photos;

namespace Newsroom.UnitTests.Photos;

/// <summary>The door's structural check: whole files pass without a decode, files cut short are named as such.</summary>
public sealed class ImageStructureTests
{
    private static readonly Image Sample = Image.Gaussnoise(300, 200, sigma: 40).Cast(Enums.BandFormat.Uchar).Bandjoin([Image.Black(300, 200).Cast(Enums.BandFormat.Uchar), Image.Black(300, 200).Cast(Enums.BandFormat.Uchar) + 90]).Cast(Enums.BandFormat.Uchar);

    private static string? Check(byte[] bytes, ImageFormat format)
    {
        using var stream = new MemoryStream(bytes);
        return ImageStructure.Check(stream, format);
    }

    [Fact]
    public void Whole_jpeg_png_and_webp_pass()
    {
        Assert.Null(Check(Sample.JpegsaveBuffer(), ImageFormat.Jpeg));
        Assert.Null(Check(Sample.JpegsaveBuffer(interlace: true), ImageFormat.Jpeg));
        Assert.Null(Check(Sample.PngsaveBuffer(), ImageFormat.Png));
        Assert.Null(Check(Sample.WebpsaveBuffer(), ImageFormat.WebP));
        using var alpha = Sample.Bandjoin(255);
        Assert.Null(Check(alpha.WebpsaveBuffer(lossless: true), ImageFormat.WebP));
    }

    [Fact]
    public void A_jpeg_with_data_after_its_end_passes_as_a_phones_motion_photo_does()
    {
        byte[] withTrailer = [.. Sample.JpegsaveBuffer(), .. new byte[300_000]];
        Assert.Null(Check(withTrailer, ImageFormat.Jpeg));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.97)]
    public void A_jpeg_cut_short_has_no_end_marker(double kept)
    {
        var whole = Sample.JpegsaveBuffer();
        Assert.Contains("cut short", Check(whole[..(int)(whole.Length * kept)], ImageFormat.Jpeg), StringComparison.Ordinal);
    }

    [Fact]
    public void A_jpeg_cut_inside_its_headers_is_refused()
    {
        var whole = Sample.JpegsaveBuffer();
        Assert.NotNull(Check(whole[..100], ImageFormat.Jpeg));
    }

    [Fact]
    public void A_png_cut_short_or_damaged_inside_a_chunk_is_refused()
    {
        var png = Sample.PngsaveBuffer();
        Assert.NotNull(Check(png[..(png.Length - 30)], ImageFormat.Png));
        var damaged = (byte[])png.Clone();
        damaged[png.Length / 2] ^= 0x5A;
        Assert.Contains("CRC", Check(damaged, ImageFormat.Png), StringComparison.Ordinal);
    }

    [Fact]
    public void A_webp_shorter_than_its_riff_header_says_is_refused()
    {
        var webp = Sample.WebpsaveBuffer();
        Assert.Contains("cut short", Check(webp[..(webp.Length / 2)], ImageFormat.WebP), StringComparison.Ordinal);
    }
}
