using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Newsroom.IntegrationTests.Support;
using Newsroom.LocalHost;
using Newsroom.Storage;

namespace Newsroom.IntegrationTests.EndToEnd;

/// <summary>
/// The README's "first day after deploy", step by step, on a local host started with --no-seed on an empty
/// storage account: nothing exists but what the API calls create, as on a fresh Azure deployment.
/// </summary>
public sealed class FirstDayTests : IAsyncLifetime
{
    private LocalHostApp _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var account = await SharedAzurite.NewAccountAsync();
        _host = await TestLocalHost.StartAsync(new Dictionary<string, string?>(TestLocalHost.BusyMachineDeadlines)
        {
            [StorageOptions.SectionName + ":ConnectionString"] = account,
            [StorageOptions.SectionName + ":CreateIfNotExists"] = "true",
            ["AzureWebJobsStorage"] = account,
        }, "--no-seed");
        _client = TestLocalHost.ClientFor(_host);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Sections_an_event_a_photo_and_a_first_article_created_reviewed_and_published_through_the_api_alone()
    {
        // An empty paper: no sections, so no article can be filed yet.
        Assert.Equal("[]", await _client.GetStringAsync("/api/categories"));
        var reporter = await DeskClient.SignInAsync(_client, "Hoàng Minh Đức", "Reporter");
        using (var tooEarly = await reporter.SendAsync(HttpMethod.Post, "/api/articles", new { title = "Bài đầu tiên", category = "thoi-su" }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, tooEarly.StatusCode);
            Assert.Contains("POST /api/categories", await tooEarly.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // 1. The administrator creates the sections and a running story.
        var admin = await DeskClient.SignInAsync(_client, "Nguyễn Thị Lan", "Admin");
        var created = new List<string>();
        foreach (var section in new object[]
        {
            new { name = "Thời sự", order = 1 },
            new { name = "Kinh tế", order = 2 },
            new { name = "Nông nghiệp", parent = "kinh-te", order = 1 },
        })
        {
            using var response = await admin.SendAsync(HttpMethod.Post, "/api/categories", section);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var slug = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("slug").GetString()!;
            Assert.Equal("/api/categories/" + slug, response.Headers.Location!.ToString());
            created.Add(slug);
        }
        Assert.Equal(["thoi-su", "kinh-te", "nong-nghiep"], created);
        using (var newsEvent = await admin.SendAsync(HttpMethod.Post, "/api/events", new { name = "Chuyển đổi số", description = "Chuyển đổi số ở Thái Nguyên", inFocus = true }))
        {
            Assert.Equal(HttpStatusCode.Created, newsEvent.StatusCode);
            Assert.Equal("/api/events/chuyen-doi-so", newsEvent.Headers.Location!.ToString());
        }
        var tree = JsonDocument.Parse(await _client.GetStringAsync("/api/categories")).RootElement;
        Assert.Equal(["thoi-su", "kinh-te"], tree.EnumerateArray().Select(c => c.GetProperty("slug").GetString()));
        Assert.Equal("nong-nghiep", tree[1].GetProperty("children")[0].GetProperty("slug").GetString());

        // 2. A reporter uploads a photo and writes the first article.
        using var image = (NetVips.Image.Black(1600, 1000, bands: 3) + new double[] { 50, 130, 60 }).Cast(NetVips.Enums.BandFormat.Uchar);
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image.JpegsaveBuffer());
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", "doi-che.jpg");
        form.Add(new StringContent("Đồi chè Tân Cương"), "caption");
        form.Add(new StringContent("Ảnh: Hoàng Minh Đức"), "credit");
        string photoId;
        using (var accepted = await reporter.SendAsync(HttpMethod.Post, "/api/photos", form))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            photoId = accepted.Headers.Location!.ToString().Split('/')[^1];
        }
        var draft = await reporter.CreateAsync(new
        {
            title = "Thái Nguyên có thêm 20 sản phẩm OCOP",
            summary = "Các sản phẩm chè, gạo và miến được công nhận đạt 3 sao trở lên.",
            category = "nong-nghiep",
            events = new[] { "chuyen-doi-so" },
            leadPhoto = new { photoId, caption = "Đồi chè Tân Cương", credit = "Ảnh: Hoàng Minh Đức" },
            blocks = new object[] { new { type = "paragraph", text = "Sáng nay, tỉnh công bố quyết định công nhận." } },
            authors = new[] { new { name = "Hoàng Minh Đức", position = "Phóng viên" } },
        });
        await reporter.ActAsync(draft.Id, "submit");

        // 3. An editor approves, the publisher publishes.
        var editor = await DeskClient.SignInAsync(_client, "Lương Thị Thu Hà", "Editor");
        await editor.ActAsync(draft.Id, "approve");
        var publisher = await DeskClient.SignInAsync(_client, "Đặng Quốc Việt", "Publisher");
        var published = await publisher.ActAsync(draft.Id, "publish");
        Assert.Equal(("published", "thai-nguyen-co-them-20-san-pham-ocop"), (published.Status, published.Slug));

        // 4. Readers get it: the article, its section and the parent section, the event, the homepage.
        using (var page = await _client.GetAsync("/api/articles/" + published.Slug))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        foreach (var listing in new[] { "/api/categories/nong-nghiep/articles", "/api/categories/kinh-te/articles", "/api/events/chuyen-doi-so/articles" })
        {
            var items = JsonDocument.Parse(await _client.GetStringAsync(listing)).RootElement.GetProperty("items");
            Assert.Equal(published.Slug, Assert.Single(items.EnumerateArray()).GetProperty("slug").GetString());
        }
        await Eventually.PollAsync(
            async () => JsonDocument.Parse(await _client.GetStringAsync("/api/homepage")).RootElement.GetProperty("topStories").EnumerateArray()
                .Select(t => t.GetProperty("id").GetString()).ToList(),
            top => top.Contains(draft.Id), "the first article at the top of the homepage");
        var photo = await Eventually.PollAsync(async () => JsonDocument.Parse(await _client.GetStringAsync("/api/photos/" + photoId)).RootElement.Clone(),
            p => p.GetProperty("status").GetString() != "processing", "the photo to be processed");
        Assert.Equal("ready", photo.GetProperty("status").GetString());
    }
}
