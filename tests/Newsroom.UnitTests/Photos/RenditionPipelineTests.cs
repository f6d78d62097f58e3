using Microsoft.Extensions.Options;
using NetVips;
using Newsroom.Photos;

namespace Newsroom.UnitTests.Photos;

public sealed class RenditionPipelineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("newsroom-pipeline-").FullName;
    private readonly RenditionPipeline _pipeline = new(Options.Create(new PhotoOptions()));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(300, new[] { 160, 300 })]
    [InlineData(320, new[] { 160, 320 })]
    [InlineData(1000, new[] { 160, 320, 480, 640, 960, 1000 })]
    [InlineData(2560, new[] { 160, 320, 480, 640, 960, 1280, 1920, 2560 })]
    [InlineData(8000, new[] { 160, 320, 480, 640, 960, 1280, 1920, 2560 })]
    [InlineData(100, new[] { 100 })]
    [InlineData(1, new[] { 1 })]
    public void Widths_never_upscale_and_the_original_width_closes_the_set(int original, int[] expected) =>
        Assert.Equal(expected, RenditionPipeline.PlanWidths(original, new PhotoOptions().Widths));

    [Theory]
    [InlineData(160, 20000, 10, 1)]
    [InlineData(1, 1, 5000, 5000)]
    [InlineData(160, 4000, 3000, 120)]
    public void Heights_keep_the_aspect_and_are_never_zero(int width, int originalWidth, int originalHeight, int expected) =>
        Assert.Equal(expected, RenditionPipeline.HeightFor(width, originalWidth, originalHeight));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Every_exif_orientation_comes_out_upright(int orientation)
    {
        var path = TestImages.CameraJpeg(orientation, _dir);
        using (var input = Image.NewFromFile(path))
        {
            Assert.Equal(orientation, (int)input.Get("orientation"));
        }

        var result = _pipeline.Run(path);

        Assert.Equal((TestImages.Width, TestImages.Height), (result.Width, result.Height));
        foreach (var rendition in result.Renditions)
        {
            using var output = Image.NewFromBuffer(rendition.Bytes);
            Assert.Equal((rendition.Width, rendition.Height), (output.Width, output.Height));
            Assert.True(output.Width > output.Height, $"{rendition.Format} {rendition.Width} is not landscape");
            var corner = output.Getpoint(1, 1);
            Assert.True(corner[0] > 150 && corner[2] < 100, $"orientation {orientation}: top-left of {rendition.Format} {rendition.Width} is ({string.Join(',', corner)}), not red");
            var far = output.Getpoint(output.Width - 2, output.Height - 2);
            Assert.True(far[2] > 150 && far[0] < 100, $"orientation {orientation}: bottom-right is not blue");
        }
    }

    [Fact]
    public void No_rendition_carries_exif_gps_xmp_or_iptc()
    {
        var path = TestImages.CameraJpeg(6, _dir);
        using (var input = Image.NewFromFile(path))
        {
            Assert.Contains("exif-data", input.GetFields());
            Assert.Contains("xmp-data", input.GetFields());
            Assert.Contains(input.GetFields(), f => f.StartsWith("exif-ifd3-GPS", StringComparison.Ordinal));
        }

        var result = _pipeline.Run(path);

        Assert.NotEmpty(result.Renditions);
        foreach (var rendition in result.Renditions)
        {
            using var output = Image.NewFromBuffer(rendition.Bytes);
            var fields = output.GetFields();
            Assert.DoesNotContain(fields, f => f.StartsWith("exif", StringComparison.Ordinal) || f is "xmp-data" or "iptc-data");
            Assert.False(ContainsAscii(rendition.Bytes, "Exif\0\0"), $"{rendition.Format} {rendition.Width} has an EXIF block");
            Assert.False(ContainsAscii(rendition.Bytes, "http://ns.adobe.com/xap/1.0/"), $"{rendition.Format} {rendition.Width} has XMP");
        }
    }

    [Fact]
    public void Each_width_comes_in_webp_and_progressive_jpeg_with_a_placeholder_and_colour()
    {
        var path = TestImages.CameraJpeg(1, _dir);
        var result = _pipeline.Run(path);
        Assert.Equal(["jpeg", "webp", "jpeg", "webp"], result.Renditions.Select(r => r.Format));
        Assert.Equal([160, 160, 300, 300], result.Renditions.Select(r => r.Width));
        var jpeg = result.Renditions.First(r => r.Format == "jpeg");
        using (var decoded = Image.NewFromBuffer(jpeg.Bytes))
        {
            Assert.Equal(1, (int)decoded.Get("interlaced"));
        }
        Assert.StartsWith("data:image/webp;base64,", result.Placeholder, StringComparison.Ordinal);
        Assert.True(result.Placeholder.Length < 1000);
        Assert.Matches("^#[0-9a-f]{6}$", result.DominantColor);
    }

    [Fact]
    public void The_largest_width_is_the_decoded_pixels_themselves_not_a_second_copy()
    {
        using var decoded = (Image.Black(2560, 1600, bands: 3) + 90).Cast(Enums.BandFormat.Uchar).CopyMemory();

        using var same = RenditionPipeline.Sized(decoded, 2560, 1600);
        using var smaller = RenditionPipeline.Sized(decoded, 1920, 1200);

        Assert.Equal(decoded.DangerousGetHandle(), same.DangerousGetHandle());
        Assert.Equal((2560, 1600), (same.Width, same.Height));
        Assert.NotEqual(decoded.DangerousGetHandle(), smaller.DangerousGetHandle());
        Assert.Equal((1920, 1200), (smaller.Width, smaller.Height));
        Assert.Equal(90, smaller.Avg(), precision: 0);
    }

    [Fact]
    public void An_extreme_panorama_and_a_one_pixel_strip_never_give_a_zero_pixel_side()
    {
        foreach (var (w, h) in new[] { (6000, 12), (1, 900) })
        {
            using var image = (Image.Black(w, h, bands: 3) + 128).Cast(Enums.BandFormat.Uchar);
            var path = Path.Combine(_dir, $"strip-{w}x{h}.png");
            image.Pngsave(path);
            var result = _pipeline.Run(path);
            Assert.All(result.Renditions, r => Assert.True(r.Width >= 1 && r.Height >= 1));
            foreach (var r in result.Renditions)
            {
                using var output = Image.NewFromBuffer(r.Bytes);
                Assert.Equal((r.Width, r.Height), (output.Width, output.Height));
            }
        }
    }

    [Fact]
    public void A_png_screenshot_with_transparency_is_flattened_for_jpeg_and_kept_for_webp()
    {
        using var rgba = (Image.Black(400, 300, bands: 3) + 90).Bandjoin(Image.Black(400, 300)).Cast(Enums.BandFormat.Uchar);
        var path = Path.Combine(_dir, "screenshot.png");
        rgba.Pngsave(path);
        var result = _pipeline.Run(path);
        using var jpeg = Image.NewFromBuffer(result.Renditions.First(r => r.Format == "jpeg").Bytes);
        using var webp = Image.NewFromBuffer(result.Renditions.First(r => r.Format == "webp").Bytes);
        Assert.Equal(3, jpeg.Bands);
        Assert.True(webp.HasAlpha());
        Assert.True(jpeg.Getpoint(5, 5)[0] > 240, "transparent areas become white in JPEG");
    }

    public static TheoryData<string, byte[]> FourChannelJpegs => new()
    {
        { "Adobe CMYK with its 1 MB profile", CmykJpeg.Adobe(embedProfile: true) },
        { "Adobe CMYK without a profile", CmykJpeg.Adobe(embedProfile: false) },
        { "YCCK with the profile", CmykJpeg.Ycck(CmykJpeg.Profile()) },
        { "YCCK without a profile", CmykJpeg.Ycck(profile: null) },
    };

    [Theory]
    [MemberData(nameof(FourChannelJpegs))]
    public void Cmyk_and_ycck_jpegs_become_srgb_renditions_with_their_colours(string kind, byte[] file)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".jpg");
        File.WriteAllBytes(path, file);
        using var ink = CmykJpeg.Ink();
        using var expected = ink.IccTransform("srgb", inputProfile: "cmyk");

        var result = _pipeline.Run(path);

        Assert.Equal((CmykJpeg.Width, CmykJpeg.Height), (result.Width, result.Height));
        foreach (var rendition in result.Renditions)
        {
            using var output = Image.NewFromBuffer(rendition.Bytes);
            Assert.Equal(3, output.Bands);
            Assert.Equal(Enums.Interpretation.Srgb, output.Interpretation);
            Assert.DoesNotContain("icc-profile-data", output.GetFields());
            for (var i = 0; i < CmykJpeg.Patches.Length; i++)
            {
                var (ex, ey) = CmykJpeg.PatchCentre(i, expected.Width, expected.Height);
                var (ox, oy) = CmykJpeg.PatchCentre(i, output.Width, output.Height);
                var want = expected.Getpoint(ex, ey);
                var got = output.Getpoint(ox, oy);
                for (var band = 0; band < 3; band++)
                {
                    Assert.True(Math.Abs(want[band] - got[band]) <= 16,
                        $"{kind}, {rendition.Format} {rendition.Width}: patch {i} is ({string.Join(',', got)}), expected about ({string.Join(',', want)})");
                }
            }
        }
    }

    private static bool ContainsAscii(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(needle)) >= 0;
}
