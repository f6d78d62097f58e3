using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using NetVips;
using Newsroom.IntegrationTests.Support;

namespace Newsroom.IntegrationTests.EndToEnd;

/// <summary>Photos over HTTP on the local host: upload → queue-triggered resize → renditions fetched anonymously.</summary>
public sealed class PhotosApiTests(LocalHostFixture fixture) : IClassFixture<LocalHostFixture>
{
    private HttpClient Client => fixture.Client;

    private static MultipartFormDataContent Form(byte[] file, string fileName = "anh.jpg", string contentType = "image/jpeg")
    {
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(part, "file", fileName);
        form.Add(new StringContent("Bà con thu hoạch chè"), "caption");
        form.Add(new StringContent("Ảnh: Trịnh Ngọc Diệp"), "credit");
        return form;
    }

    private DeskClient? _reporter;

    /// <summary>Uploads as a reporter signed in with a development token, or with no token when <paramref name="signedIn"/> is false.</summary>
    private async Task<HttpResponseMessage> UploadAsync(HttpClient client, HttpContent content, bool signedIn = true)
    {
        _reporter ??= await DeskClient.SignInAsync(client, "Trịnh Ngọc Diệp", "Reporter");
        using var request = DeskClient.Request(HttpMethod.Post, "/api/photos", signedIn ? _reporter.Token : null, content);
        return await client.SendAsync(request);
    }

    private static byte[] CameraJpeg()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            return File.ReadAllBytes(Newsroom.UnitTests.Photos.TestImages.CameraJpeg(6, dir));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Upload_then_the_photo_becomes_ready_and_its_renditions_are_public_while_the_original_is_not()
    {
        using var accepted = await UploadAsync(Client, Form(CameraJpeg(), "../../etc/passwd.jpg"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var location = accepted.Headers.Location!.ToString();
        Assert.Matches("^/api/photos/p[0-9a-f]{20}$", location);
        Assert.DoesNotContain("passwd", await accepted.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var photo = await Eventually.PollAsync(async () => JsonDocument.Parse(await Client.GetStringAsync(location)).RootElement,
            p => p.GetProperty("status").GetString() != "processing", "the photo to be processed");
        Assert.Equal("ready", photo.GetProperty("status").GetString());
        // Orientation 6: stored 200×300 on its side, shown (and so reported) upright as 300×200.
        Assert.Equal(300, photo.GetProperty("width").GetInt32());
        Assert.Equal(200, photo.GetProperty("height").GetInt32());
        Assert.Equal("Ảnh: Trịnh Ngọc Diệp", photo.GetProperty("credit").GetString());
        Assert.StartsWith("data:image/webp;base64,", photo.GetProperty("placeholder").GetString(), StringComparison.Ordinal);

        using var anonymous = new HttpClient();
        foreach (var rendition in photo.GetProperty("renditions").EnumerateArray())
        {
            using var response = await anonymous.GetAsync(rendition.GetProperty("url").GetString());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/" + rendition.GetProperty("format").GetString(), response.Content.Headers.ContentType!.MediaType);
            Assert.Contains("immutable", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
            using var image = Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(rendition.GetProperty("width").GetInt32(), image.Width);
            Assert.DoesNotContain(image.GetFields(), f => f.StartsWith("exif", StringComparison.Ordinal));
        }

        var firstUrl = photo.GetProperty("renditions")[0].GetProperty("url").GetString()!;
        var originalUrl = firstUrl[..firstUrl.IndexOf("/renditions/", StringComparison.Ordinal)] + "/photo-originals/" + location.Split('/')[^1];
        using var original = await anonymous.GetAsync(originalUrl);
        Assert.NotEqual(HttpStatusCode.OK, original.StatusCode);
    }

    [Fact]
    public async Task Uploads_need_a_signed_in_reporter()
    {
        using var response = await UploadAsync(Client, Form(CameraJpeg()), signedIn: false);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);

        var admin = await DeskClient.SignInAsync(Client, "Quản trị viên", "Admin");
        using var forbidden = await Client.SendAsync(admin.Request(HttpMethod.Post, "/api/photos", Form(CameraJpeg())));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var problem = JsonDocument.Parse(await forbidden.Content.ReadAsStringAsync());
        Assert.Equal("Reporter", problem.RootElement.GetProperty("requiredRole").GetString());
    }

    [Fact]
    public async Task A_35_MB_upload_without_a_token_gets_its_401_through_the_host_not_a_broken_connection()
    {
        // Refused before the app reads the body: the rest is read and dropped so the answer reaches the client.
        var body = new byte[35_000_000];
        Random.Shared.NextBytes(body);
        body[0] = 0xFF;
        body[1] = 0xD8;
        using var response = await UploadAsync(Client, Form(body, "anh-lon.jpg"), signedIn: false);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_cmyk_jpeg_with_a_one_megabyte_profile_is_accepted_and_its_renditions_are_srgb()
    {
        using var accepted = await UploadAsync(Client, Form(Newsroom.UnitTests.Photos.CmykJpeg.Adobe(embedProfile: true), "in-bao.jpg"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var photo = await Eventually.PollAsync(async () => JsonDocument.Parse(await Client.GetStringAsync(accepted.Headers.Location)).RootElement,
            p => p.GetProperty("status").GetString() != "processing", "the CMYK photo to be processed");
        Assert.Equal("ready", photo.GetProperty("status").GetString());
        using var anonymous = new HttpClient();
        var jpeg = photo.GetProperty("renditions").EnumerateArray().First(r => r.GetProperty("format").GetString() == "jpeg");
        using var image = Image.NewFromBuffer(await anonymous.GetByteArrayAsync(jpeg.GetProperty("url").GetString()));
        Assert.Equal((3, Enums.Interpretation.Srgb), (image.Bands, image.Interpretation));
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "anh.jpg", "image/jpeg", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("GIF89a", "anh.gif", "image/gif", HttpStatusCode.UnsupportedMediaType)]
    public async Task Bad_uploads_get_problem_json(string content, string name, string type, HttpStatusCode status)
    {
        using var response = await UploadAsync(Client, Form(System.Text.Encoding.UTF8.GetBytes(content), name, type));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_form_without_a_file_is_400_and_a_non_multipart_body_is_400()
    {
        var form = new MultipartFormDataContent { { new StringContent("chỉ có chú thích"), "caption" } };
        using var noFile = await UploadAsync(Client, form);
        Assert.Equal(HttpStatusCode.BadRequest, noFile.StatusCode);
        using var json = await UploadAsync(Client, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
    }

    [Fact]
    public async Task Demo_articles_carry_srcset_ready_photos_in_the_article_and_its_teasers()
    {
        var teaser = JsonDocument.Parse(await Client.GetStringAsync("/api/categories/van-hoa/articles?limit=1")).RootElement.GetProperty("items")[0];
        var article = await Eventually.PollAsync(
            async () => JsonDocument.Parse(await Client.GetStringAsync("/api/articles/" + teaser.GetProperty("slug").GetString())).RootElement,
            a => a.GetProperty("leadPhoto").TryGetProperty("renditions", out _)
                && a.GetProperty("blocks").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "image").All(b => b.TryGetProperty("renditions", out _)),
            "the demo article's photos to be ready");
        var lead = article.GetProperty("leadPhoto");
        Assert.True(lead.GetProperty("renditions").GetArrayLength() >= 2);
        Assert.True(lead.GetProperty("width").GetInt32() > 0);
        Assert.StartsWith("Ảnh:", lead.GetProperty("credit").GetString(), StringComparison.Ordinal);
        var image = article.GetProperty("blocks").EnumerateArray().First(b => b.GetProperty("type").GetString() == "image");
        Assert.True(image.GetProperty("renditions").GetArrayLength() >= 2);
        Assert.True(image.TryGetProperty("placeholder", out _));
    }
}
