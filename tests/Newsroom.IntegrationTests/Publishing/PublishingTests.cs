using Newsroom.Articles;
using Newsroom.IntegrationTests.Support;
using Newsroom.Listings;
using Newsroom.Publishing;
using Newsroom.Reading;

namespace Newsroom.IntegrationTests.Publishing;

public sealed class PublishingTests : IAsyncLifetime
{
    private NewsroomTestHost _host = null!;
    private PublisherDesk Editor => new(_host.Get<Newsroom.Desk.ArticleDesk>());

    public async Task InitializeAsync()
    {
        _host = await NewsroomTestHost.CreateAsync();
        await Fixtures.SeedTaxonomyAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static ArticleInput Input(string title = "Hội nghị tổng kết năm", string category = "thoi-su") => new()
    {
        Title = title,
        Summary = "Tóm tắt ngắn.",
        Category = category,
        Events = ["chuyen-doi-so"],
        Blocks = [new ParagraphBlock("Đoạn một."), new QuoteBlock("Trích dẫn.", "Nguồn")],
        Authors = [new Author("Lương Thị Thu Hà", "Biên tập viên")],
    };

    private async Task<IReadOnlyList<string>> ListedAsync(string listingKey) =>
        [.. (await _host.Get<ListingStore>().ReadAsync(listingKey, _host.Time.GetUtcNow(), null, 50, CancellationToken.None)).Select(r => r.Teaser.Id)];

    [Fact]
    public async Task A_new_article_is_a_draft_that_readers_cannot_see()
    {
        var created = await Editor.CreateAsync(Input(), CancellationToken.None);
        Assert.Equal(ArticleStatus.Draft, created.Article.Status);
        Assert.Equal("hoi-nghi-tong-ket-nam", created.Article.Slug);
        Assert.Empty(await ListedAsync(ListingKey.All));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.Get<ArticleReader>().GetAsync(created.Article.Slug, CancellationToken.None));
    }

    [Fact]
    public async Task Replace_needs_if_match_and_refuses_a_stale_one_keeping_the_newer_edit()
    {
        var created = await Editor.CreateAsync(Input(), CancellationToken.None);
        await Assert.ThrowsAsync<PreconditionRequiredException>(() => Editor.ReplaceAsync(created.Article.Id, Input("Sửa A"), null, CancellationToken.None));

        var first = await Editor.ReplaceAsync(created.Article.Id, Input("Sửa lần một"), created.ETag, CancellationToken.None);
        Assert.NotEqual(created.ETag, first.ETag);
        var e = await Assert.ThrowsAsync<PreconditionFailedException>(() => Editor.ReplaceAsync(created.Article.Id, Input("Sửa lần hai"), created.ETag, CancellationToken.None));
        Assert.Contains("GET it again", e.Message, StringComparison.Ordinal);

        Assert.Equal("Sửa lần một", (await Editor.GetAsync(created.Article.Id, CancellationToken.None)).Article.Title);
    }

    [Fact]
    public async Task Every_validation_failure_is_reported_per_field_at_once()
    {
        var bad = new ArticleInput
        {
            Title = new string('x', 251),
            Summary = new string('y', 601),
            Category = "khong-co",
            Events = ["chuyen-doi-so", "su-kien-la"],
            Blocks = [new ParagraphBlock(""), new ImageBlock("anh-khong-co"), new VideoBlock("javascript:alert(1)"), new HeadingBlock("Tiêu đề\u0007")],
            Authors = [new Author("")],
            LeadPhoto = new PhotoRef(""),
        };
        var e = await Assert.ThrowsAsync<ValidationException>(() => Editor.CreateAsync(bad, CancellationToken.None));
        Assert.Equal(
            ["authors[0].name", "blocks[0].text", "blocks[1].photoId", "blocks[2].url", "blocks[3].text", "category", "events[1]", "leadPhoto.photoId", "summary", "title"],
            e.Errors!.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(await ListedAsync(ListingKey.All));
    }

    [Fact]
    public async Task A_missing_title_is_required()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => Editor.CreateAsync(Input() with { Title = "  " }, CancellationToken.None));
        Assert.Contains("title", e.Errors!.Keys);
    }

    [Fact]
    public async Task Publish_now_lists_the_article_and_unpublish_removes_it_everywhere()
    {
        var created = await Editor.CreateAsync(Input(), CancellationToken.None);
        var published = await Editor.PublishAsync(created.Article.Id, null, null, CancellationToken.None);
        Assert.Equal(ArticleStatus.Published, published.Article.Status);
        Assert.Equal([created.Article.Id], await ListedAsync(ListingKey.Category("thoi-su")));
        Assert.Equal([created.Article.Id], await ListedAsync(ListingKey.Event("chuyen-doi-so")));

        await Editor.UnpublishAsync(created.Article.Id, null, CancellationToken.None);
        Assert.Empty(await ListedAsync(ListingKey.All));
        Assert.Empty(await ListedAsync(ListingKey.Category("thoi-su")));
        Assert.Empty(await ListedAsync(ListingKey.Event("chuyen-doi-so")));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.Get<ArticleReader>().GetAsync(created.Article.Slug, CancellationToken.None));
    }

    [Fact]
    public async Task A_scheduled_article_is_invisible_until_its_time_then_visible_without_any_job()
    {
        var created = await Editor.CreateAsync(Input(), CancellationToken.None);
        var at = new DateTimeOffset(2026, 11, 29, 13, 0, 0, TimeSpan.FromHours(7)); // 06:00 UTC, five hours ahead
        var scheduled = await Editor.PublishAsync(created.Article.Id, at, null, CancellationToken.None);
        Assert.Equal(ArticleStatus.Scheduled, scheduled.Article.Status);
        Assert.Empty(await ListedAsync(ListingKey.All));

        _host.Time.Advance(TimeSpan.FromHours(5) - TimeSpan.FromSeconds(1));
        Assert.Empty(await ListedAsync(ListingKey.All));
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([created.Article.Id], await ListedAsync(ListingKey.All));
        Assert.Equal(ArticleStatus.Published, (await Editor.GetAsync(created.Article.Id, CancellationToken.None)).Article.Status);
    }

    [Fact]
    public async Task A_publish_time_in_the_past_means_now()
    {
        var created = await Editor.CreateAsync(Input(), CancellationToken.None);
        var published = await Editor.PublishAsync(created.Article.Id, _host.Time.GetUtcNow().AddDays(-3), null, CancellationToken.None);
        Assert.Equal(ArticleStatus.Published, published.Article.Status);
        Assert.Equal(_host.Time.GetUtcNow(), published.Article.PublishedAt);
    }

    [Fact]
    public async Task Moving_a_published_article_to_another_category_moves_its_listing_rows()
    {
        var created = await Editor.CreateAsync(Input(), CancellationToken.None);
        var published = await Editor.PublishAsync(created.Article.Id, null, null, CancellationToken.None);
        await Editor.ReplaceAsync(created.Article.Id, Input(category: "nong-nghiep") with { Events = [] }, published.ETag, CancellationToken.None);

        Assert.Empty(await ListedAsync(ListingKey.Category("thoi-su")));
        Assert.Empty(await ListedAsync(ListingKey.Event("chuyen-doi-so")));
        Assert.Equal([created.Article.Id], await ListedAsync(ListingKey.Category("nong-nghiep")));
        Assert.Equal([created.Article.Id], await ListedAsync(ListingKey.Category("kinh-te")));
    }

    [Fact]
    public async Task Unknown_ids_are_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => Editor.GetAsync("khong-co", CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => Editor.PublishAsync("../etc", null, null, CancellationToken.None));
    }
}
