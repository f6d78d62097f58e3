using Newsroom.Articles;
using Newsroom.Homepage;
using Newsroom.IntegrationTests.Support;
using Newsroom.Listings;
using Newsroom.Publishing;

namespace Newsroom.IntegrationTests.Publishing;

/// <summary>
/// Fails a write after each of its steps (as a crash would) and checks the two promises: no public
/// listing points at an article readers cannot see, and after one repair cycle the listings are exactly
/// what the stored articles say.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private NewsroomTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await NewsroomTestHost.CreateAsync(new Dictionary<string, string?> { ["Homepage:RepairGraceSeconds"] = "1" });
        await Fixtures.SeedTaxonomyAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private sealed class Crash : Exception;

    private async Task AssertListingsConsistentAsync(bool repaired)
    {
        var now = _host.Time.GetUtcNow();
        var listings = _host.Get<ListingStore>();
        var articles = _host.Get<ArticleStore>();
        var names = await _host.Get<Newsroom.Taxonomy.TaxonomyStore>().GetAsync(CancellationToken.None);
        foreach (var key in new[] { ListingKey.All, ListingKey.Category("thoi-su"), ListingKey.Category("kinh-te"), ListingKey.Category("nong-nghiep"), ListingKey.Event("chuyen-doi-so") })
        {
            foreach (var row in await listings.ReadAsync(key, now, null, 100, CancellationToken.None))
            {
                var stored = await articles.GetAsync(row.Teaser.Id, CancellationToken.None);
                Assert.True(stored is not null && stored.Article.IsPublicAt(now), $"{key} lists {row.Teaser.Id}, which readers cannot see");
                if (repaired)
                {
                    Assert.Contains(ArticleIndexer.DesiredEntries(stored!.Article, names), e => e.ListingKey == key && e.RowKey == row.RowKey);
                }
            }
        }
        // No page kept ready to serve belongs to an article readers cannot see.
        foreach (var slug in new[] { "tin-chuyen-muc", "tin-go-xuong" })
        {
            if ((await _host.Get<Newsroom.Reading.ArticlePages>().GetAsync(slug, CancellationToken.None)) is { } page)
            {
                var stored = await articles.GetAsync(page.ArticleId, CancellationToken.None);
                Assert.True(stored is not null && stored.Article.IsPublicAt(now), $"the page under {slug} serves {page.ArticleId}, which readers cannot see");
            }
        }
    }

    [Theory]
    [InlineData(ArticleWriter.Step.OutboxMarked)]
    [InlineData(ArticleWriter.Step.ListingsRetracted)]
    [InlineData(ArticleWriter.Step.ArticleWritten)]
    [InlineData(ArticleWriter.Step.ListingsIndexed)]
    public async Task A_crash_after_any_step_of_a_move_is_repaired_by_the_next_rebuild(ArticleWriter.Step crashAfter)
    {
        var writer = _host.Get<ArticleWriter>();
        var stored = await Fixtures.PublishAsync(_host, "moving", "Tin chuyển mục", _host.Time.GetUtcNow().AddMinutes(-5), "thoi-su", ["chuyen-doi-so"]);

        writer.AfterStep = step => step == crashAfter ? throw new Crash() : Task.CompletedTask;
        var moved = stored.Article with { Category = "nong-nghiep", Events = [], PublishedAt = _host.Time.GetUtcNow().AddMinutes(-1) };
        await Assert.ThrowsAsync<Crash>(() => writer.UpdateAsync(stored.Article, moved, stored.ETag, CancellationToken.None));
        writer.AfterStep = null;

        await AssertListingsConsistentAsync(repaired: false);
        _host.Time.Advance(TimeSpan.FromSeconds(2));
        await _host.Get<HomepagePublisher>().RebuildAsync(CancellationToken.None);
        await AssertListingsConsistentAsync(repaired: true);

        var current = (await _host.Get<ArticleStore>().GetAsync("moving", CancellationToken.None))!.Article;
        var expected = ArticleIndexer.DesiredEntries(current, await _host.Get<Newsroom.Taxonomy.TaxonomyStore>().GetAsync(CancellationToken.None));
        Assert.Contains(expected, e => e.Index == ListingEntry.Desk);
        Assert.Contains(expected, e => e.Index == ListingEntry.Page);
        foreach (var entry in expected)
        {
            var rowKeys = entry.Index switch
            {
                null => (await _host.Get<ListingStore>().ReadAsync(entry.ListingKey, _host.Time.GetUtcNow(), null, 100, CancellationToken.None)).Select(r => r.RowKey),
                ListingEntry.Desk => (await _host.Get<Newsroom.Desk.DeskIndex>().ReadAsync(entry.ListingKey, null, 100, CancellationToken.None)).Select(r => r.RowKey),
                ListingEntry.Page => (await _host.Get<Newsroom.Reading.ArticlePages>().GetAsync(entry.ListingKey, CancellationToken.None)) is { ArticleId: "moving", Revision: var revision } && revision == current.Revision
                    ? [entry.RowKey] : [],
                _ => (await _host.Get<Newsroom.Photos.PhotoStore>().UsedByAsync(entry.ListingKey, CancellationToken.None)).Select(Newsroom.Photos.PhotoStore.UsageRowKey),
            };
            Assert.Contains(entry.RowKey, rowKeys);
        }
        // The desk list of the state it left no longer shows it.
        Assert.Single(await _host.Get<Newsroom.Desk.DeskIndex>().ReadAsync(Newsroom.Desk.DeskIndex.Partition(ArticleStatus.Published), null, 100, CancellationToken.None),
            r => r.Teaser.Id == "moving");
        Assert.Empty(await _host.Get<IndexOutbox>().PendingAsync(10, CancellationToken.None));
    }

    [Theory]
    [InlineData(ArticleWriter.Step.ListingsRetracted)]
    [InlineData(ArticleWriter.Step.ArticleWritten)]
    public async Task A_crash_while_unpublishing_never_leaves_a_listing_pointing_at_the_unpublished_article(ArticleWriter.Step crashAfter)
    {
        var writer = _host.Get<ArticleWriter>();
        var stored = await Fixtures.PublishAsync(_host, "takedown", "Tin gỡ xuống", _host.Time.GetUtcNow().AddMinutes(-5), "kinh-te", ["chuyen-doi-so"]);
        writer.AfterStep = step => step == crashAfter ? throw new Crash() : Task.CompletedTask;

        await Assert.ThrowsAsync<Crash>(() => writer.UpdateAsync(stored.Article, stored.Article with { Status = ArticleStatus.Unpublished }, stored.ETag, CancellationToken.None));

        await AssertListingsConsistentAsync(repaired: false);
    }

    [Fact]
    public async Task A_write_refused_for_a_stale_etag_puts_back_what_it_retracted()
    {
        var writer = _host.Get<ArticleWriter>();
        var stored = await Fixtures.PublishAsync(_host, "stale", "Tin cũ", _host.Time.GetUtcNow().AddMinutes(-5), "thoi-su");
        await writer.UpdateAsync(stored.Article, stored.Article with { Summary = "Mới hơn" }, stored.ETag, CancellationToken.None);

        await Assert.ThrowsAsync<PreconditionFailedException>(() =>
            writer.UpdateAsync(stored.Article, stored.Article with { Status = ArticleStatus.Unpublished }, stored.ETag, CancellationToken.None));

        var rows = await _host.Get<ListingStore>().ReadAsync(ListingKey.Category("thoi-su"), _host.Time.GetUtcNow(), null, 10, CancellationToken.None);
        Assert.Equal("Mới hơn", Assert.Single(rows).Teaser.Summary);
    }

    [Fact]
    public async Task Storage_faltering_right_after_the_article_is_saved_does_not_fail_the_save_and_the_next_rebuild_finishes_its_indexes()
    {
        var writer = _host.Get<ArticleWriter>();
        writer.AfterStep = step => step == ArticleWriter.Step.ArticleWritten ? throw new Azure.RequestFailedException(503, "Server busy") : Task.CompletedTask;
        var stored = await Fixtures.PublishAsync(_host, "late", "Tin lưu xong", _host.Time.GetUtcNow().AddMinutes(-5), "thoi-su");
        writer.AfterStep = null;

        // Saved, on record, and the write said so; its listing row is still to come.
        Assert.Equal(stored.ETag, (await _host.Get<ArticleStore>().GetAsync("late", CancellationToken.None))!.ETag);
        Assert.Single(await _host.Get<ArticleStore>().GetHistoryAsync("late", CancellationToken.None));
        var listing = _host.Get<ListingStore>();
        Assert.Empty(await listing.ReadAsync(ListingKey.Category("thoi-su"), _host.Time.GetUtcNow(), null, 10, CancellationToken.None));
        Assert.Contains(await _host.Get<IndexOutbox>().PendingAsync(10, CancellationToken.None), e => e.ArticleId == "late");

        _host.Time.Advance(TimeSpan.FromSeconds(2));
        await _host.Get<HomepagePublisher>().RebuildAsync(CancellationToken.None);

        Assert.Equal("late", Assert.Single(await listing.ReadAsync(ListingKey.Category("thoi-su"), _host.Time.GetUtcNow(), null, 10, CancellationToken.None)).Teaser.Id);
        Assert.Empty(await _host.Get<IndexOutbox>().PendingAsync(10, CancellationToken.None));

        // The edge may have refilled its copies before the repair: the repair purges them again.
        var queue = _host.Get<Newsroom.Storage.StorageClients>().Queue(Newsroom.Storage.StorageNames.EdgePurgeQueue);
        var message = await Eventually.PollAsync(async () => (await queue.ReceiveMessageAsync()).Value, m => m is not null, "the repair's edge purge");
        Assert.Equal(["/api/articles/" + stored.Article.Slug, "/api/categories/thoi-su/articles"], Newsroom.Edge.EdgePurgeRequest.FromMessage(message!.Body).Paths);
    }
}
