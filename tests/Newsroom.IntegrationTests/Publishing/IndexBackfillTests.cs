using Azure.Data.Tables;
using Newsroom.Articles;
using Newsroom.Desk;
using Newsroom.IntegrationTests.Support;
using Newsroom.Photos;
using Newsroom.Publishing;
using Newsroom.Storage;
using Newsroom.Taxonomy;

namespace Newsroom.IntegrationTests.Publishing;

/// <summary>Data stored before the desk existed (no desk rows, no photo usage rows, no slug claims) is brought up to date.</summary>
public sealed class IndexBackfillTests : IAsyncLifetime
{
    private NewsroomTestHost _host = null!;

    public async Task InitializeAsync() => _host = await NewsroomTestHost.CreateAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Articles_and_sections_from_before_the_desk_are_indexed_for_it_a_batch_at_a_time_then_never_again()
    {
        // As the earlier version stored them: a section with no slug claim, articles with no desk or usage rows.
        var taxonomy = _host.Get<TaxonomyStore>();
        await taxonomy.SaveAsync(new Category("thoi-su", "Thời sự"), "*", CancellationToken.None);
        var store = _host.Get<ArticleStore>();
        var owner = DeskUsers.Reporter.Actor;
        for (var i = 1; i <= 3; i++)
        {
            await store.InsertAsync(Fixtures.Article($"old-{i}", $"Bài cũ {i}", status: ArticleStatus.Published, publishedAt: _host.Time.GetUtcNow().AddDays(-i)) with
            {
                Owner = owner,
                Slug = $"bai-cu-{i}",
                Revision = 1,
            }, CancellationToken.None);
        }
        var desk = _host.Get<DeskIndex>();
        Assert.Empty(await desk.ReadAsync(DeskIndex.Partition(ArticleStatus.Published), null, 10, CancellationToken.None));

        var backfill = _host.Get<IndexBackfill>();
        Assert.Equal(2, await backfill.RunAsync(CancellationToken.None, batch: 2));
        Assert.Equal(1, await backfill.RunAsync(CancellationToken.None, batch: 2));
        Assert.Equal(0, await backfill.RunAsync(CancellationToken.None, batch: 2));

        var published = await desk.ReadAsync(DeskIndex.Partition(ArticleStatus.Published, owner.Id), null, 10, CancellationToken.None);
        Assert.Equal(["old-1", "old-2", "old-3"], published.Select(r => r.Teaser.Id).Order());
        Assert.Equal(["old-2"], await _host.Get<PhotoStore>().UsedByAsync("p-old-2", CancellationToken.None));
        var claim = await _host.Get<StorageClients>().Table(StorageNames.TaxonomyTableName).GetEntityAsync<TableEntity>("category-slug", "thoi-su");
        Assert.Equal("thoi-su", claim.Value.GetString("Key"));

        // Done is remembered in storage: another instance does nothing either.
        await using var other = await NewsroomTestHost.CreateAsync(connectionString: _host.ConnectionString);
        await store.InsertAsync(Fixtures.Article("new-1", "Bài mới") with { Slug = "bai-moi", Revision = 1 }, CancellationToken.None);
        Assert.Equal(0, await other.Get<IndexBackfill>().RunAsync(CancellationToken.None));
    }
}
