using NetVips;
using Newsroom.Photos;

namespace Newsroom.LocalHost.Demo;

/// <summary>
/// The demo paper's photos, drawn by the seeder (colour fields with a sun and hills, a few landscape and
/// one portrait) and uploaded through the real pipeline, so the demo serves real renditions.
/// </summary>
internal static class DemoPhotos
{
    public const int Count = 12;

    private static readonly (string Caption, string Credit)[] Words =
    [
        ("Đồi chè xanh mướt buổi sớm", "Ảnh: Trịnh Ngọc Diệp"),
        ("Cánh đồng lúa chín vàng", "Ảnh: Hoàng Minh Đức"),
        ("Hoàng hôn trên hồ", "Ảnh: Lê Hồng Nhung"),
        ("Phiên chợ vùng cao", "Ảnh: CTV"),
        ("Con đường mới về bản", "Ảnh: Trịnh Ngọc Diệp"),
        ("Lớp học sau mùa lũ", "Ảnh: Hoàng Minh Đức"),
        ("Sân vận động tỉnh", "Ảnh: Lê Hồng Nhung"),
        ("Lễ hội đầu xuân", "Ảnh: CTV"),
        ("Nhà máy trong khu công nghiệp", "Ảnh: Trịnh Ngọc Diệp"),
        ("Bến đò ngày nước lên", "Ảnh: Hoàng Minh Đức"),
        ("Thư viện số cho thiếu nhi", "Ảnh: Lê Hồng Nhung"),
        ("Cầu treo qua suối", "Ảnh: CTV"),
    ];

    public static string Id(int index) => $"demo-photo-{index + 1:D2}";

    /// <summary>Draws photo <paramref name="index"/> as a JPEG file and returns an upload of it.</summary>
    public static async Task<PhotoUpload> DrawAsync(int index, CancellationToken cancellationToken)
    {
        var portrait = index % 6 == 5;
        var (width, height) = portrait ? (1200, 1600) : (2400, 1600);
        var hue = index * 29 % 360;
        var path = Path.Combine(Path.GetTempPath(), $"newsroom-demo-{Guid.NewGuid():N}.jpg");
        try
        {
            using (var xy = Image.Xyz(width, height))
            using (var x = xy[0])
            using (var y = xy[1])
            {
                // Sky fading to the horizon, a sun, and two hills: something a resize visibly changes.
                var sky = (y * (-120.0 / height)) + 230;
                var sun = (((x - (width * 0.7)).Pow(2) + (y - (height * 0.3)).Pow(2)) < Math.Pow(height * 0.08, 2)).Ifthenelse(255, 0);
                var hill1 = (y > ((x * 0.15) + (height * 0.6))).Ifthenelse(1, 0);
                var hill2 = (y > ((x * -0.2) + (height * 0.95))).Ifthenelse(1, 0);
                var (r, g, b) = Hue(hue);
                var red = (sky * r / 255.0).Bandjoin((sky * g / 255.0), (sky * b / 255.0)).Cast(Enums.BandFormat.Uchar);
                var land = Image.Black(width, height, bands: 3) + new double[] { 40 + (index * 7 % 60), 110, 50 };
                var picture = (hill1 | hill2).Ifthenelse(land, red);
                picture = sun.Equal(255).Ifthenelse(new double[] { 255, 230, 120 }, picture).Cast(Enums.BandFormat.Uchar);
                picture.Jpegsave(path, q: 88);
            }
            var (caption, credit) = Words[index % Words.Length];
            return await PhotoUpload.FromFileAsync(path, caption, credit, caption, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (double R, double G, double B) Hue(int degrees)
    {
        var h = degrees / 60.0;
        var x = 1 - Math.Abs((h % 2) - 1);
        var (r, g, b) = h switch
        {
            < 1 => (1.0, x, 0.0),
            < 2 => (x, 1.0, 0.0),
            < 3 => (0.0, 1.0, x),
            < 4 => (0.0, x, 1.0),
            < 5 => (x, 0.0, 1.0),
            _ => (1.0, 0.0, x),
        };
        return (155 + (100 * r), 155 + (100 * g), 155 + (100 * b));
    }
}
