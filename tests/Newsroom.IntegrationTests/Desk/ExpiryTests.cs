using System.Text.Json;
using Newsroom.Articles;
using Newsroom.Desk;
using Newsroom.Feeds;
using Newsroom.Homepage;
using Newsroom.Identity;
using Newsroom.IntegrationTests.Support;
using Newsroom.Listings;
using Newsroom.Publishing;
using Newsroom.Reading;
using Newsroom.Search;
using Newsroom.Storage;

namespace Newsroom.IntegrationTests.Desk;

/// <summary>
/// Job notices and expiry on real storage with a fake clock: at its time an article leaves listings, the
/// homepage, feeds and search and its URL answers 410, before any job runs; the timer then records it expired
/// (by the system) and takes its rows out; a publisher may publish it again with a later expiry.
/// </summary>
public sealed class ExpiryTests : IAsyncLifetime
{
    private NewsroomTestHost _host = null!;

    private ArticleDesk Desk => _host.Get<ArticleDesk>();
    private PublisherDesk Publisher => new(Desk);
    private DateTimeOffset Now => _host.Time.GetUtcNow();

    public async Task InitializeAsync()
    {
        _host = await NewsroomTestHost.CreateAsync();
        await Fixtures.SeedTaxonomyAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static ArticleInput Notice(string title, DateTimeOffset? deadline, string? organisation = "Sở Nội vụ tỉnh Thái Nguyên", DateTimeOffset? expireAt = null) => new()
    {
        Title = title,
        Summary = "Thông báo tuyển dụng " + title,
        Category = "kinh-te",
        Blocks = [new ParagraphBlock("Hồ sơ nộp trực tiếp tại Sở Nội vụ.")],
        Job = new JobInput(organisation, deadline),
        ExpireAt = expireAt,
    };

    private static ArticleInput ToInput(DeskArticleView view) => new()
    {
        Title = view.Title,
        Summary = view.Summary,
        Category = view.Category.Slug,
        Blocks = view.Blocks,
        Job = view.Job is { } job ? new JobInput(job.Organisation, job.Deadline) : null,
        ExpireAt = view.ExpireAt,
    };

    private async Task<IReadOnlyList<string>> ListingAsync(string listingKey) =>
        [.. (await _host.Get<ListingStore>().ReadAsync(listingKey, Now, null, 50, CancellationToken.None)).Select(r => r.Teaser.Id)];

    private async Task<IReadOnlyList<string>> FoundAsync(string q)
    {
        var page = await _host.Get<ArticleSearch>().SearchAsync(q, null, null, null, null, null, null, null, CancellationToken.None);
        return [.. JsonDocument.Parse(page.Body).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
    }

    private async Task<IReadOnlyList<string>> HomepageAsync()
    {
        await _host.Get<HomepagePublisher>().RebuildAsync(CancellationToken.None);
        var root = JsonDocument.Parse((await _host.Get<HomepageStore>().GetSnapshotAsync(CancellationToken.None))!.Body).RootElement;
        return [.. root.GetProperty("latest").EnumerateArray().Concat(root.GetProperty("topStories").EnumerateArray()).Select(t => t.GetProperty("id").GetString()!)];
    }

    private async Task<IReadOnlyList<string>> FeedLinksAsync()
    {
        var feed = System.Xml.Linq.XDocument.Parse(System.Text.Encoding.UTF8.GetString((await _host.Get<RssFeeds>().LatestAsync(CancellationToken.None)).Body));
        return [.. feed.Descendants("item").Select(i => i.Element("guid")!.Value)];
    }

    private async Task<IReadOnlyList<string>> DeskListAsync(string state)
    {
        var page = await Desk.ListAsync(DeskUsers.Editor, state, null, null, null, CancellationToken.None);
        return [.. JsonDocument.Parse(page.Body).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
    }

    [Fact]
    public async Task A_job_notice_leaves_every_public_place_at_its_deadline_the_timer_records_it_and_it_can_go_out_again_with_a_later_one()
    {
        var deadline = Now.AddHours(2);
        var created = await Publisher.CreateAsync(Notice("Tuyển dụng viên chức năm 2026", deadline), CancellationToken.None);
        Assert.Equal(deadline, created.Article.ExpireAt); // the deadline, since no expiry was given
        Assert.Equal(new JobNotice("Sở Nội vụ tỉnh Thái Nguyên", deadline), created.Article.Job);
        var lasting = await Publisher.CreateAsync(Notice("Tuyển dụng giáo viên hợp đồng", Now.AddDays(30)) with { Job = null, ExpireAt = null }, CancellationToken.None);
        var id = created.Article.Id;
        var published = await Publisher.PublishAsync(id, null, null, CancellationToken.None);
        await Publisher.PublishAsync(lasting.Article.Id, null, null, CancellationToken.None);
        var slug = published.Article.Slug;

        // Before its deadline it is everywhere, with who is hiring and until when.
        var page = JsonDocument.Parse((await _host.Get<ArticleReader>().GetAsync(slug, CancellationToken.None)).Article!.Body).RootElement;
        Assert.Equal("Sở Nội vụ tỉnh Thái Nguyên", page.GetProperty("job").GetProperty("organisation").GetString());
        Assert.Equal(deadline.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            page.GetProperty("expireAt").GetString()![..25]);
        Assert.Contains(id, await ListingAsync(ListingKey.Category("kinh-te")));
        Assert.Contains(id, await FoundAsync("tuyển dụng"));
        Assert.Contains(id, await HomepageAsync());
        Assert.Contains("urn:newsroom:article:" + id, await FeedLinksAsync());
        var listed = JsonDocument.Parse((await _host.Get<ListingReader>().GetPageAsync(ListingKind.Category, "kinh-te", null, null, CancellationToken.None)).Page!.Body).RootElement;
        Assert.Equal("Sở Nội vụ tỉnh Thái Nguyên", listed.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id).GetProperty("job").GetProperty("organisation").GetString());

        // At its deadline, before any job runs: gone for readers everywhere, expired for the desk.
        _host.Time.Advance(TimeSpan.FromHours(2));
        var gone = await Assert.ThrowsAsync<GoneException>(() => _host.Get<ArticleReader>().GetAsync(slug, CancellationToken.None));
        Assert.Contains("expired", gone.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(id, await ListingAsync(ListingKey.Category("kinh-te")));
        Assert.Contains(lasting.Article.Id, await ListingAsync(ListingKey.Category("kinh-te")));
        Assert.Equal([lasting.Article.Id], await FoundAsync("tuyển dụng"));
        Assert.DoesNotContain(id, await HomepageAsync());
        Assert.DoesNotContain("urn:newsroom:article:" + id, await FeedLinksAsync());
        var forDesk = (await Publisher.GetAsync(id, CancellationToken.None)).Article;
        Assert.Equal(ArticleStatus.Expired, forDesk.Status);
        Assert.Equal(["publish", "unpublish"], forDesk.Allowed);

        // The timer records it, by the system, and takes its rows out; a second pass finds nothing to do.
        Assert.Equal(1, await Desk.ExpireDueAsync(CancellationToken.None));
        Assert.Equal(0, await Desk.ExpireDueAsync(CancellationToken.None));
        var history = await _host.Get<ArticleStore>().GetHistoryAsync(id, CancellationToken.None);
        Assert.Equal(("expired", DeskActor.System.Id), (history[0].Action, history[0].By.Id));
        Assert.Contains(id, await DeskListAsync("expired"));
        Assert.DoesNotContain(id, await DeskListAsync("published"));
        // Its rows are gone from storage, not only hidden: read as of a minute before the deadline.
        var rows = await _host.Get<ListingStore>().ReadAsync(ListingKey.Category("kinh-te"), deadline.AddMinutes(-1), null, 50, CancellationToken.None);
        Assert.DoesNotContain(rows, r => r.Teaser.Id == id);
        Assert.Null(await _host.Get<ArticlePages>().GetAsync(slug, CancellationToken.None));
        Assert.DoesNotContain(id, await _host.Get<ISearchEngine>().IdsAsync(CancellationToken.None));
        await Assert.ThrowsAsync<GoneException>(() => _host.Get<ArticleReader>().GetAsync(slug, CancellationToken.None));

        // Publishing it again needs a later expiry: refused as it is, nothing changed.
        var refused = await Assert.ThrowsAsync<ValidationException>(() => Publisher.PublishAsync(id, null, null, CancellationToken.None));
        Assert.Contains("expireAt", refused.Errors!.Keys);
        Assert.Equal(ArticleStatus.Expired, (await _host.Get<ArticleStore>().GetAsync(id, CancellationToken.None))!.Article.Status);

        var current = await Publisher.GetAsync(id, CancellationToken.None);
        var extended = await Publisher.ReplaceAsync(id, ToInput(current.Article) with { ExpireAt = Now.AddDays(7) }, current.ETag, CancellationToken.None);
        Assert.Equal(ArticleStatus.Expired, extended.Article.Status);
        var again = await Publisher.PublishAsync(id, null, extended.ETag, CancellationToken.None);
        Assert.Equal(ArticleStatus.Published, again.Article.Status);
        Assert.Equal(published.Article.PublishedAt, again.Article.PublishedAt); // its original time and place in the listings
        Assert.NotNull((await _host.Get<ArticleReader>().GetAsync(slug, CancellationToken.None)).Article);
        Assert.Contains(id, await FoundAsync("tuyển dụng"));
        Assert.Contains(id, await ListingAsync(ListingKey.Category("kinh-te")));
    }

    [Fact]
    public async Task An_edit_that_moves_the_expiry_moves_the_timers_row_and_an_unpublished_notice_is_never_expired()
    {
        var created = await Publisher.CreateAsync(Notice("Tuyển dụng công chức cấp xã", Now.AddHours(1)), CancellationToken.None);
        var id = created.Article.Id;
        var published = await Publisher.PublishAsync(id, null, null, CancellationToken.None);
        var moved = await Publisher.ReplaceAsync(id, ToInput(published.Article) with { ExpireAt = Now.AddHours(3) }, published.ETag, CancellationToken.None);
        Assert.Equal(Now.AddHours(3), moved.Article.ExpireAt);

        _host.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await Desk.ExpireDueAsync(CancellationToken.None)); // not at the old time
        Assert.NotNull((await _host.Get<ArticleReader>().GetAsync(moved.Article.Slug, CancellationToken.None)).Article);

        await Desk.UnpublishAsync(DeskUsers.Publisher, id, moved.ETag, null, CancellationToken.None);
        _host.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await Desk.ExpireDueAsync(CancellationToken.None));
        Assert.Equal(ArticleStatus.Unpublished, (await _host.Get<ArticleStore>().GetAsync(id, CancellationToken.None))!.Article.Status);
        await Assert.ThrowsAsync<NotFoundException>(() => _host.Get<ArticleReader>().GetAsync(moved.Article.Slug, CancellationToken.None));
    }

    [Fact]
    public async Task A_scheduled_notice_goes_live_at_its_time_and_leaves_at_its_expiry_and_cannot_be_scheduled_past_it()
    {
        var created = await Publisher.CreateAsync(Notice("Tuyển sinh lớp bồi dưỡng", Now.AddHours(5)), CancellationToken.None);
        var id = created.Article.Id;
        var late = await Assert.ThrowsAsync<ValidationException>(() => Publisher.PublishAsync(id, Now.AddHours(6), null, CancellationToken.None));
        Assert.Contains("before it would go live", late.Message, StringComparison.Ordinal);

        var scheduled = await Publisher.PublishAsync(id, Now.AddHours(1), null, CancellationToken.None);
        Assert.Equal(ArticleStatus.Scheduled, scheduled.Article.Status);
        var input = ToInput(scheduled.Article);
        var early = await Assert.ThrowsAsync<ValidationException>(() => Publisher.ReplaceAsync(id, input with { ExpireAt = Now.AddMinutes(30) }, scheduled.ETag, CancellationToken.None));
        Assert.Contains("expireAt", early.Errors!.Keys);

        await Assert.ThrowsAsync<NotFoundException>(() => _host.Get<ArticleReader>().GetAsync(scheduled.Article.Slug, CancellationToken.None));
        _host.Time.Advance(TimeSpan.FromHours(1));
        Assert.NotNull((await _host.Get<ArticleReader>().GetAsync(scheduled.Article.Slug, CancellationToken.None)).Article);
        Assert.Contains(id, await FoundAsync("bồi dưỡng"));
        _host.Time.Advance(TimeSpan.FromHours(4));
        await Assert.ThrowsAsync<GoneException>(() => _host.Get<ArticleReader>().GetAsync(scheduled.Article.Slug, CancellationToken.None));
        Assert.Empty(await FoundAsync("bồi dưỡng"));
        Assert.Equal(0, await Desk.PublishDueAsync(CancellationToken.None)); // past its expiry: never recorded as published
        Assert.Equal(1, await Desk.ExpireDueAsync(CancellationToken.None));
        Assert.Equal(ArticleStatus.Expired, (await _host.Get<ArticleStore>().GetAsync(id, CancellationToken.None))!.Article.Status);
    }

    [Fact]
    public async Task A_bad_notice_or_expiry_is_refused_naming_the_field_and_nothing_is_kept()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => Publisher.CreateAsync(Notice("Tuyển dụng thiếu thông tin", null, organisation: " "), CancellationToken.None));
        Assert.Equal(["job.deadline", "job.organisation"], e.Errors!.Keys.Order(StringComparer.Ordinal));

        var past = await Assert.ThrowsAsync<ValidationException>(() => Publisher.CreateAsync(Notice("Tuyển dụng đã hết hạn", Now.AddMinutes(-1)), CancellationToken.None));
        Assert.Contains("has passed", past.Errors!["job.deadline"][0], StringComparison.Ordinal);

        var expiry = await Assert.ThrowsAsync<ValidationException>(() => Publisher.CreateAsync(
            Notice("Thông báo hết hạn sớm", Now.AddDays(3), expireAt: Now), CancellationToken.None));
        Assert.Equal(["expireAt"], expiry.Errors!.Keys);

        Assert.Empty(await DeskListAsync("draft"));
        Assert.Null(await _host.Get<ArticleSlugs>().FindIdAsync("tuyen-dung-thieu-thong-tin", CancellationToken.None));
    }
}
