using System.Text.Json;
using Newsroom.Articles;
using Newsroom.Homepage;
using Newsroom.IntegrationTests.Support;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Photos;
using Newsroom.Publishing;
using Newsroom.Reading;
using Newsroom.Storage;

namespace Newsroom.IntegrationTests.Reading;

/// <summary>
/// A reader's cache miss on an article (a crawler walking the archive, the first reader of a story on an
/// instance), counted in storage requests through the Azure SDK's pipeline.
/// </summary>
public sealed class ColdReadTests : IAsyncLifetime
{
    private readonly StorageRequestCounter _requests = new();
    private NewsroomTestHost _host = null!;

    public async Task InitializeAsync()
    {
        // What is in memory stays fresh until a test drops it: the fake clock does not move by itself.
        _host = await NewsroomTestHost.CreateAsync(new Dictionary<string, string?> { ["Reader:CacheSeconds"] = "300", ["Reader:SharedCacheSeconds"] = "300" }, configure: _requests.AddTo);
        await Fixtures.SeedTaxonomyAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ArticleReader Reader => _host.Get<ArticleReader>();

    /// <summary>Stores a ready photo record, as the resize job leaves it.</summary>
    private async Task ReadyPhotoAsync(string id, PhotoStatus status = PhotoStatus.Ready) =>
        await _host.Get<PhotoStore>().InsertAsync(new PhotoRecord
        {
            Id = id,
            Status = status,
            Width = 1600,
            Height = 1067,
            Caption = "Ảnh thư viện",
            Placeholder = "data:image/webp;base64,AAAA",
            DominantColor = "#336699",
            Renditions = status == PhotoStatus.Ready ? [new Rendition(320, 213, "webp", $"{id}/h-320.webp"), new Rendition(640, 427, "jpeg", $"{id}/h-640.jpeg")] : [],
            CreatedAt = _host.Time.GetUtcNow(),
        }, CancellationToken.None);

    private async Task<StoredArticle> PublishWithPhotosAsync(string id, string title, int minutesAgo, string category = "thoi-su", string[]? events = null)
    {
        await ReadyPhotoAsync("p-" + id);
        return await Fixtures.PublishAsync(_host, id, title, _host.Time.GetUtcNow().AddMinutes(-minutesAgo), category, events);
    }

    private async Task<ArticleView> ReadAsync(string slug) =>
        JsonSerializer.Deserialize<ArticleView>((await Reader.GetAsync(slug, CancellationToken.None)).Article!.Body, NewsroomJson.Options)!;

    /// <summary>The table each counted request went to ("slugs", "listingheads", …).</summary>
    private IReadOnlyList<string> TablesRequested() =>
        [.. _requests.Requests.Select(r => r.Split(' ')[1].Split('/', StringSplitOptions.RemoveEmptyEntries)[1].Split('(')[0]).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_miss_costs_one_storage_request_once_the_listing_heads_it_shows_are_in_memory()
    {
        var first = await PublishWithPhotosAsync("cold-1", "Khai mạc hội chợ nông sản", 50, events: ["chuyen-doi-so"]);
        var second = await PublishWithPhotosAsync("cold-2", "Nông dân bán hàng trực tuyến", 40, events: ["chuyen-doi-so"]);
        await PublishWithPhotosAsync("cold-3", "Hội nghị giao ban quý IV", 30);
        await PublishWithPhotosAsync("cold-4", "Chợ phiên số ở vùng cao", 20, "kinh-te", ["chuyen-doi-so"]);
        await ReadAsync(first.Article.Slug); // the first reader of the section warms its heads

        _requests.Reset();
        var view = await ReadAsync(second.Article.Slug);

        // A point read of the page kept under the slug.
        var request = Assert.Single(_requests.Requests);
        Assert.StartsWith("GET ", request);
        Assert.Contains($"/slugs(PartitionKey='{second.Article.Slug}',RowKey='page')", request);
        // Served whole from that one row and the shared heads: the photos with their renditions, both related lists.
        Assert.Equal("Nông dân bán hàng trực tuyến", view.Title);
        Assert.EndsWith("/p-cold-2/h-640.jpeg", view.LeadPhoto!.Renditions![1].Url);
        Assert.Contains("://", view.LeadPhoto.Renditions[1].Url);
        Assert.Equal("Chú thích ảnh đại diện", view.LeadPhoto.Caption);
        var image = Assert.IsType<ImageBlock>(view.Blocks[1]);
        Assert.Equal(2, image.Renditions!.Count);
        Assert.Equal("#336699", image.DominantColor);
        Assert.Equal(["cold-4", "cold-1"], view.SameEvent.Select(t => t.Id));
        Assert.Equal(["cold-3"], view.OtherNews.Select(t => t.Id));
        Assert.EndsWith("/p-cold-3/h-320.webp", view.OtherNews[0].LeadPhoto!.Renditions![0].Url);
    }

    [Fact]
    public async Task With_nothing_in_memory_a_miss_reads_the_page_and_the_taxonomy_then_the_heads_and_nothing_else()
    {
        await PublishWithPhotosAsync("warm-1", "Tin thứ nhất", 30, events: ["chuyen-doi-so"]);
        var target = await PublishWithPhotosAsync("warm-2", "Tin thứ hai", 20, events: ["chuyen-doi-so"]);
        // An instance that has read nothing yet: no taxonomy, no heads, no photo records in memory.
        _host.Get<ResponseCache>().Invalidate([ReaderTags.Taxonomy, ListingKey.Category("thoi-su"), ListingKey.Event("chuyen-doi-so")]);
        _host.Get<PhotoResolver>().Forget("p-warm-1");
        _host.Get<PhotoResolver>().Forget("p-warm-2");

        _requests.Reset();
        var view = await ReadAsync(target.Article.Slug);

        // First round: the slug's page row and the taxonomy, side by side; second: the heads its page shows.
        // No article row, no photo record: the page and the teasers carry their photos resolved.
        Assert.Equal(["listingheads", "listingheads", "slugs", "taxonomy"], TablesRequested());
        Assert.Equal(["warm-1"], view.SameEvent.Select(t => t.Id));
        Assert.NotNull(view.SameEvent[0].LeadPhoto!.Renditions);
        Assert.NotNull(view.LeadPhoto!.Renditions);
    }

    [Fact]
    public async Task A_slug_that_leads_nowhere_costs_two_point_reads_and_a_draft_has_no_page()
    {
        var draft = await Fixtures.PublishAsync(_host, "nhap", "Bản nháp chưa duyệt", _host.Time.GetUtcNow(), status: ArticleStatus.Draft);
        await Assert.ThrowsAsync<NotFoundException>(() => Reader.GetAsync("khong-co-bai-nay", CancellationToken.None)); // warms the taxonomy

        _requests.Reset();
        await Assert.ThrowsAsync<NotFoundException>(() => Reader.GetAsync("khong-co-bai-nay-nua", CancellationToken.None));
        // No page under it, then no claim either (an article indexed before pages would have one).
        Assert.Equal(["slugs", "slugs"], TablesRequested());
        Assert.Contains(_requests.Requests, r => r.Contains("RowKey='page'", StringComparison.Ordinal));
        Assert.Contains(_requests.Requests, r => r.Contains("RowKey='slug'", StringComparison.Ordinal));

        Assert.Null((await _host.Get<ArticlePages>().GetAsync(draft.Article.Slug, CancellationToken.None)));
        await Assert.ThrowsAsync<NotFoundException>(() => Reader.GetAsync(draft.Article.Slug, CancellationToken.None));
    }

    [Fact]
    public async Task The_page_follows_edits_retitles_and_unpublishing()
    {
        var writer = _host.Get<ArticleWriter>();
        var pages = _host.Get<ArticlePages>();
        var stored = await PublishWithPhotosAsync("follow", "Tiêu đề đầu tiên", 10);

        var edited = await writer.UpdateAsync(stored.Article, stored.Article with { Title = "Tiêu đề thứ hai", Summary = "Tóm tắt mới" }, stored.ETag, CancellationToken.None);
        var current = (await pages.GetAsync("tieu-de-thu-hai", CancellationToken.None))!;
        Assert.Equal(("follow", 2, "Tóm tắt mới"), (current.ArticleId, current.Revision, current.Article!.Summary));
        Assert.Null(current.Article.Owner);
        var old = (await pages.GetAsync("tieu-de-dau-tien", CancellationToken.None))!;
        Assert.Equal(("tieu-de-thu-hai", null), (old.MovedTo, old.Article));
        Assert.Equal("tieu-de-thu-hai", (await Reader.GetAsync("tieu-de-dau-tien", CancellationToken.None)).MovedTo);

        await writer.UpdateAsync(edited.Article, edited.Article with { Status = ArticleStatus.Unpublished }, edited.ETag, CancellationToken.None);
        _host.Get<ResponseCache>().Invalidate([ReaderTags.Slug("tieu-de-thu-hai"), ReaderTags.Slug("tieu-de-dau-tien")]);

        Assert.Null((await pages.GetAsync("tieu-de-thu-hai", CancellationToken.None)));
        Assert.Null((await pages.GetAsync("tieu-de-dau-tien", CancellationToken.None)));
        await Assert.ThrowsAsync<NotFoundException>(() => Reader.GetAsync("tieu-de-thu-hai", CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => Reader.GetAsync("tieu-de-dau-tien", CancellationToken.None));
    }

    [Fact]
    public async Task An_edit_whose_indexing_is_cut_short_is_served_from_the_article_not_from_the_old_page()
    {
        var writer = _host.Get<ArticleWriter>();
        var stored = await PublishWithPhotosAsync("cat-ngang", "Tin có đoạn phải gỡ", 10);
        writer.AfterStep = step => step == ArticleWriter.Step.ArticleWritten ? throw new Azure.RequestFailedException(503, "Server busy") : Task.CompletedTask;
        await writer.UpdateAsync(stored.Article, stored.Article with { Summary = "Đoạn sai đã được gỡ" }, stored.ETag, CancellationToken.None);
        writer.AfterStep = null;
        _host.Get<ResponseCache>().Invalidate([ReaderTags.Slug(stored.Article.Slug)]);

        Assert.Null(await _host.Get<ArticlePages>().GetAsync(stored.Article.Slug, CancellationToken.None));
        Assert.Equal("Đoạn sai đã được gỡ", (await ReadAsync(stored.Article.Slug)).Summary);

        // The repair pass puts the page back, with the edit.
        _host.Time.Advance(TimeSpan.FromMinutes(5));
        await _host.Get<HomepagePublisher>().RebuildAsync(CancellationToken.None);
        Assert.Equal("Đoạn sai đã được gỡ", (await _host.Get<ArticlePages>().GetAsync(stored.Article.Slug, CancellationToken.None))!.Article!.Summary);
    }

    [Fact]
    public async Task A_late_index_pass_of_an_older_revision_does_not_bring_back_what_an_edit_removed()
    {
        var writer = _host.Get<ArticleWriter>();
        var stored = await PublishWithPhotosAsync("late-pass", "Tin có chi tiết sai", 10);
        await writer.UpdateAsync(stored.Article, stored.Article with { Summary = "Đã gỡ chi tiết sai" }, stored.ETag, CancellationToken.None);

        // The first revision's pass, delayed until now (a slow instance, a retried queue message).
        await _host.Get<ArticlePages>().UpsertAsync(stored.Article.Slug, stored.Article, CancellationToken.None);

        Assert.Equal("Đã gỡ chi tiết sai", (await ReadAsync(stored.Article.Slug)).Summary);
    }

    [Fact]
    public async Task A_scheduled_article_has_its_page_before_its_time_and_serves_it_from_then()
    {
        await ReadyPhotoAsync("p-hen-gio");
        var stored = await Fixtures.PublishAsync(_host, "hen-gio", "Tin hẹn giờ đăng", _host.Time.GetUtcNow().AddMinutes(30), status: ArticleStatus.Scheduled);
        Assert.NotNull((await _host.Get<ArticlePages>().GetAsync(stored.Article.Slug, CancellationToken.None)));

        await Assert.ThrowsAsync<NotFoundException>(() => Reader.GetAsync(stored.Article.Slug, CancellationToken.None));
        _host.Time.Advance(TimeSpan.FromMinutes(31)); // past its time and past the cached "not found"
        Assert.Equal("hen-gio", (await ReadAsync(stored.Article.Slug)).Id);
    }

    [Fact]
    public async Task An_article_indexed_before_pages_existed_is_served_from_the_article_itself()
    {
        var stored = await PublishWithPhotosAsync("truoc-do", "Bài đăng từ trước", 10);
        await _host.Get<StorageClients>().Table(StorageNames.SlugsTableName).DeleteEntityAsync(stored.Article.Slug, ArticlePages.RowKey);

        var view = await ReadAsync(stored.Article.Slug);

        Assert.Equal("Bài đăng từ trước", view.Title);
        Assert.NotNull(view.LeadPhoto!.Renditions);
    }

    [Fact]
    public async Task A_photo_still_processing_at_publish_is_resolved_when_read_and_kept_in_the_page_once_ready()
    {
        await ReadyPhotoAsync("p-dang-xu-ly", PhotoStatus.Processing);
        var stored = await Fixtures.PublishAsync(_host, "dang-xu-ly", "Ảnh đang xử lý", _host.Time.GetUtcNow().AddMinutes(-1));
        var pages = _host.Get<ArticlePages>();
        Assert.Null((await pages.GetAsync(stored.Article.Slug, CancellationToken.None))!.Article!.LeadPhoto!.Renditions);
        Assert.Null((await ReadAsync(stored.Article.Slug)).LeadPhoto!.Renditions);

        // The resize job finishes: the record turns ready and the articles showing it are marked for re-indexing.
        var photos = _host.Get<PhotoStore>();
        var (record, etag) = (await photos.GetAsync("p-dang-xu-ly", CancellationToken.None))!.Value;
        Assert.True(await photos.TryReplaceAsync(record with { Status = PhotoStatus.Ready, Renditions = [new Rendition(320, 213, "webp", "p-dang-xu-ly/h-320.webp")] }, etag, CancellationToken.None));
        _host.Get<PhotoResolver>().Forget("p-dang-xu-ly");
        _host.Get<ResponseCache>().Invalidate([ReaderTags.Slug(stored.Article.Slug)]);

        // Readers see the renditions at once (the page's bare reference is resolved when read)...
        Assert.NotNull((await ReadAsync(stored.Article.Slug)).LeadPhoto!.Renditions);
        // ...and the re-index keeps them in the page and the teasers, so later misses read nothing for it.
        await _host.Get<ArticleIndexer>().ReindexAsync("dang-xu-ly", CancellationToken.None);
        Assert.Equal("p-dang-xu-ly/h-320.webp", (await pages.GetAsync(stored.Article.Slug, CancellationToken.None))!.Article!.LeadPhoto!.Renditions![0].Url);
        var row = Assert.Single(await _host.Get<ListingStore>().ReadAsync(ListingKey.Category("thoi-su"), _host.Time.GetUtcNow(), null, 10, CancellationToken.None));
        Assert.Equal("p-dang-xu-ly/h-320.webp", row.Teaser.LeadPhoto!.Renditions![0].Url);
    }
}
