using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using NetVips;
using Newsroom.Articles;
using Newsroom.Feeds;
using Newsroom.IntegrationTests.Support;
using Newsroom.Photos;
using Newsroom.Publishing;
using Newsroom.Reading;

namespace Newsroom.IntegrationTests.Feeds;

/// <summary>
/// Feeds and sitemaps on real storage with a fake clock, read back as XML by LINQ to XML (not by the
/// syndication library that wrote them) and checked field by field.
/// </summary>
public sealed class FeedsTests : IAsyncLifetime
{
    private static readonly XNamespace Sm = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private static readonly XNamespace News = "http://www.google.com/schemas/sitemap-news/0.9";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";

    private NewsroomTestHost _host = null!;
    private readonly string _dir = Directory.CreateTempSubdirectory("newsroom-feeds-").FullName;

    private DateTimeOffset Now => _host.Time.GetUtcNow();

    public async Task InitializeAsync()
    {
        _host = await NewsroomTestHost.CreateAsync(new Dictionary<string, string?>
        {
            ["Site:BaseUrl"] = "https://baothainguyen.example.vn",
            ["Site:Name"] = "Báo Thái Nguyên điện tử",
            ["Site:ArticlePath"] = "/{category}/{slug}-{id}.html",
        });
        await Fixtures.SeedTaxonomyAsync(_host);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static XDocument Parse(Json.JsonPayload payload)
    {
        using var reader = XmlReader.Create(new MemoryStream(payload.Body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        return XDocument.Load(reader);
    }

    private async Task<PhotoRecord> ReadyPhotoAsync()
    {
        var path = Path.Combine(_dir, "anh.jpg");
        using (var image = (Image.Black(1600, 1000, bands: 3) + new double[] { 40, 90, 160 }).Cast(Enums.BandFormat.Uchar))
        {
            image.Jpegsave(path);
        }
        await using var upload = await PhotoUpload.FromFileAsync(path, "Chú thích", "Ảnh: Thu Hà", "Mô tả", CancellationToken.None);
        var photo = await _host.Get<PhotoService>().AcceptAsync(upload, CancellationToken.None);
        await _host.Get<PhotoProcessor>().ProcessAsync(new PhotoJob(photo.Id), 1, CancellationToken.None);
        return photo;
    }

    [Fact]
    public async Task The_latest_feed_is_valid_rss_2_with_every_field_a_reader_needs_newest_first_and_only_what_is_public()
    {
        var photo = await ReadyPhotoAsync();
        var lead = Fixtures.Article("a-1", "Đường Thái Nguyên đón xuân", category: "nong-nghiep", events: ["chuyen-doi-so"], publishedAt: Now.AddHours(-1))
            with { LeadPhoto = new PhotoRef(photo.Id, "Chú thích", "Ảnh: Thu Hà") };
        await _host.Get<ArticleWriter>().CreateAsync(lead, CancellationToken.None);
        await Fixtures.PublishAsync(_host, "a-2", "Tin cũ hơn", Now.AddHours(-3));
        await Fixtures.PublishAsync(_host, "a-later", "Bài hẹn giờ", Now.AddHours(2), status: ArticleStatus.Scheduled);
        await _host.Get<ArticleWriter>().CreateAsync(Fixtures.Article("a-draft", "Bản nháp", status: ArticleStatus.Draft), CancellationToken.None);

        var payload = await _host.Get<RssFeeds>().LatestAsync(CancellationToken.None);
        Assert.StartsWith("application/rss+xml", payload.ContentType, StringComparison.Ordinal);
        var rss = Parse(payload).Root!;
        Assert.Equal("rss", rss.Name.LocalName);
        Assert.Equal("2.0", (string?)rss.Attribute("version"));
        var channel = rss.Element("channel")!;
        Assert.Equal("Báo Thái Nguyên điện tử", (string?)channel.Element("title"));
        Assert.Equal("https://baothainguyen.example.vn/", (string?)channel.Element("link"));
        Assert.Equal("vi", (string?)channel.Element("language"));
        Assert.False(string.IsNullOrWhiteSpace((string?)channel.Element("description")));

        var items = channel.Elements("item").ToList();
        Assert.Equal(["Đường Thái Nguyên đón xuân", "Tin cũ hơn"], items.Select(i => (string)i.Element("title")!));
        var first = items[0];
        Assert.Equal("https://baothainguyen.example.vn/nong-nghiep/duong-thai-nguyen-don-xuan-a-1.html", (string?)first.Element("link"));
        Assert.Equal("urn:newsroom:article:a-1", (string?)first.Element("guid"));
        Assert.Equal("false", (string?)first.Element("guid")!.Attribute("isPermaLink"));
        var pubDate = (string)first.Element("pubDate")!;
        Assert.EndsWith("+0700", pubDate, StringComparison.Ordinal);
        Assert.Equal(Now.AddHours(-1).ToUnixTimeSeconds(),
            DateTimeOffset.ParseExact(pubDate.Replace("+0700", "+07:00", StringComparison.Ordinal), "ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture).ToUnixTimeSeconds());
        Assert.Equal("Tóm tắt: Đường Thái Nguyên đón xuân", (string?)first.Element("description"));
        Assert.Equal("Hoàng Minh Đức (Phóng viên)", (string?)first.Element(Dc + "creator"));
        Assert.Equal("Nông nghiệp", (string?)first.Element("category"));
        var enclosure = first.Element("enclosure")!;
        Assert.Equal("image/jpeg", (string?)enclosure.Attribute("type"));
        Assert.Contains($"/{photo.Id}/", (string?)enclosure.Attribute("url"), StringComparison.Ordinal);
        Assert.EndsWith("-640.jpeg", (string?)enclosure.Attribute("url"), StringComparison.Ordinal);
        Assert.True(long.Parse((string)enclosure.Attribute("length")!, CultureInfo.InvariantCulture) > 1000);
        Assert.Null(items[1].Element("enclosure")); // its photo was never uploaded

        // The same feed again: the same bytes and ETag (no clock in it), so 304s work.
        Assert.Equal(payload.ETag, (await _host.Get<RssFeeds>().LatestAsync(CancellationToken.None)).ETag);
    }

    [Fact]
    public async Task A_section_feed_holds_its_articles_and_those_of_its_sub_sections_and_an_unknown_one_is_404()
    {
        await Fixtures.PublishAsync(_host, "a-nn", "Lúa mùa bội thu", Now.AddHours(-1), category: "nong-nghiep");
        await Fixtures.PublishAsync(_host, "a-ts", "Thời sự trong ngày", Now.AddHours(-2), category: "thoi-su", events: ["mua-lu-2026"]);
        var feeds = _host.Get<RssFeeds>();

        var economy = Parse((await feeds.SectionAsync(ListingKind.Category, "kinh-te", CancellationToken.None)).Page!);
        Assert.Equal(["Lúa mùa bội thu"], economy.Descendants("item").Select(i => (string)i.Element("title")!));
        Assert.StartsWith("Kinh tế", (string?)economy.Root!.Element("channel")!.Element("title"), StringComparison.Ordinal);
        var floods = Parse((await feeds.SectionAsync(ListingKind.Event, "mua-lu-2026", CancellationToken.None)).Page!);
        Assert.Equal(["Thời sự trong ngày"], floods.Descendants("item").Select(i => (string)i.Element("title")!));
        await Assert.ThrowsAsync<NotFoundException>(() => feeds.SectionAsync(ListingKind.Category, "khong-co", CancellationToken.None));
    }

    [Fact]
    public async Task The_news_sitemap_holds_the_last_two_days_with_publication_name_language_date_and_title()
    {
        await Fixtures.PublishAsync(_host, "n-1", "Mới một giờ", Now.AddHours(-1));
        await Fixtures.PublishAsync(_host, "n-47", "Gần hai ngày", Now.AddHours(-47));
        await Fixtures.PublishAsync(_host, "n-49", "Quá hai ngày", Now.AddHours(-49));
        await Fixtures.PublishAsync(_host, "n-future", "Chưa đến giờ", Now.AddHours(1), status: ArticleStatus.Scheduled);
        var sitemaps = _host.Get<Sitemaps>();

        var urls = Parse(await sitemaps.NewsAsync(CancellationToken.None)).Root!.Elements(Sm + "url").ToList();
        Assert.Equal(["Mới một giờ", "Gần hai ngày"], urls.Select(u => (string)u.Element(News + "news")!.Element(News + "title")!));
        var news = urls[0].Element(News + "news")!;
        Assert.Equal("Báo Thái Nguyên điện tử", (string?)news.Element(News + "publication")!.Element(News + "name"));
        Assert.Equal("vi", (string?)news.Element(News + "publication")!.Element(News + "language"));
        Assert.Equal(Now.AddHours(-1).ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), (string?)news.Element(News + "publication_date"));
        Assert.StartsWith("https://baothainguyen.example.vn/thoi-su/", (string?)urls[0].Element(Sm + "loc"), StringComparison.Ordinal);

        // Two hours on, the 47-hour-old article has left the window and the scheduled one has come in.
        _host.Time.Advance(TimeSpan.FromHours(2));
        var later = Parse(await sitemaps.NewsAsync(CancellationToken.None)).Root!.Elements(Sm + "url")
            .Select(u => (string)u.Element(News + "news")!.Element(News + "title")!).ToList();
        Assert.Equal(["Chưa đến giờ", "Mới một giờ"], later);
    }

    [Fact]
    public async Task The_index_lists_each_month_with_articles_by_vietnam_time_and_a_months_sitemap_lists_exactly_its_articles()
    {
        // 2026-10-31 17:30 UTC is 1 November 00:30 in Vietnam: a November article.
        await Fixtures.PublishAsync(_host, "m-oct", "Tháng mười", new DateTimeOffset(2026, 10, 31, 16, 30, 0, TimeSpan.Zero));
        await Fixtures.PublishAsync(_host, "m-nov1", "Đầu tháng mười một", new DateTimeOffset(2026, 10, 31, 17, 30, 0, TimeSpan.Zero));
        await Fixtures.PublishAsync(_host, "m-nov2", "Giữa tháng mười một", new DateTimeOffset(2026, 11, 15, 3, 0, 0, TimeSpan.Zero));
        var sitemaps = _host.Get<Sitemaps>();

        var index = Parse(await sitemaps.IndexAsync(CancellationToken.None)).Root!;
        Assert.Equal("sitemapindex", index.Name.LocalName);
        var locs = index.Elements(Sm + "sitemap").Select(s => (string)s.Element(Sm + "loc")!).ToList();
        Assert.Equal([
            "https://baothainguyen.example.vn/api/sitemaps/news",
            "https://baothainguyen.example.vn/api/sitemaps/sections",
            "https://baothainguyen.example.vn/api/sitemaps/articles/2026/10",
            "https://baothainguyen.example.vn/api/sitemaps/articles/2026/11"], locs);
        Assert.All(index.Elements(Sm + "sitemap"), s => Assert.EndsWith("+07:00", (string?)s.Element(Sm + "lastmod"), StringComparison.Ordinal));

        string[] Titles(XDocument month) => [.. month.Root!.Elements(Sm + "url").Select(u => (string)u.Element(Sm + "loc")!)];
        Assert.Equal(["https://baothainguyen.example.vn/thoi-su/thang-muoi-m-oct.html"], Titles(Parse(await sitemaps.MonthAsync(2026, 10, 1, CancellationToken.None))));
        Assert.Equal(2, Titles(Parse(await sitemaps.MonthAsync(2026, 11, 1, CancellationToken.None))).Length);
        Assert.Empty(Titles(Parse(await sitemaps.MonthAsync(2026, 11, 2, CancellationToken.None))));
        Assert.Empty(Titles(Parse(await sitemaps.MonthAsync(2027, 1, 1, CancellationToken.None))));
        await Assert.ThrowsAsync<NotFoundException>(() => sitemaps.MonthAsync(2026, 13, 1, CancellationToken.None));
        await Assert.ThrowsAsync<BadRequestException>(() => sitemaps.MonthAsync(2026, 11, 0, CancellationToken.None));
    }

    [Fact]
    public async Task The_sections_sitemap_lists_the_home_page_every_open_section_and_running_story_with_their_newest_article()
    {
        await Fixtures.PublishAsync(_host, "s-1", "Nông nghiệp mới", Now.AddHours(-1), category: "nong-nghiep", events: ["chuyen-doi-so"]);
        var urls = Parse(await _host.Get<Sitemaps>().SectionsAsync(CancellationToken.None)).Root!.Elements(Sm + "url")
            .ToDictionary(u => (string)u.Element(Sm + "loc")!, u => (string?)u.Element(Sm + "lastmod"));
        Assert.Contains("https://baothainguyen.example.vn/", urls.Keys);
        Assert.Contains("https://baothainguyen.example.vn/nong-nghiep", urls.Keys);
        Assert.Contains("https://baothainguyen.example.vn/kinh-te", urls.Keys);
        Assert.Contains("https://baothainguyen.example.vn/su-kien/chuyen-doi-so", urls.Keys);
        Assert.NotNull(urls["https://baothainguyen.example.vn/kinh-te"]); // its sub-section's article counts
        Assert.Null(urls["https://baothainguyen.example.vn/su-kien/mua-lu-2026"]); // nothing in it yet
    }

    [Fact]
    public async Task The_article_json_carries_what_schema_org_news_article_needs()
    {
        await Fixtures.PublishAsync(_host, "j-1", "Cấu trúc dữ liệu", Now.AddHours(-1), category: "nong-nghiep");
        var view = (await _host.Get<ArticleReader>().GetAsync("cau-truc-du-lieu", CancellationToken.None)).Article!;
        using var json = System.Text.Json.JsonDocument.Parse(view.Body);
        var root = json.RootElement;
        Assert.Equal("https://baothainguyen.example.vn/nong-nghiep/cau-truc-du-lieu-j-1.html", root.GetProperty("url").GetString());
        Assert.Equal("Báo Thái Nguyên điện tử", root.GetProperty("publisher").GetProperty("name").GetString());
        Assert.Equal("Cấu trúc dữ liệu", root.GetProperty("title").GetString());
        Assert.EndsWith("+07:00", root.GetProperty("publishedAt").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("+07:00", root.GetProperty("updatedAt").GetString(), StringComparison.Ordinal);
        Assert.Equal("Phóng viên", root.GetProperty("authors")[0].GetProperty("position").GetString());
    }
}
