using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsroom.Articles;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Photos;
using Newsroom.Publishing;
using Newsroom.Taxonomy;

namespace Newsroom.Homepage;

public enum RebuildOutcome
{
    Published,
    Unchanged,
    Superseded,
    AlreadyFresh,
}

/// <summary>
/// Rebuilds the homepage snapshot. First it repairs listings that an interrupted write left behind (the
/// index outbox), then it reads only the head of each listing partition it needs, so its cost does not
/// grow with the archive, lays the page out, and publishes it with a conditional write: an unchanged page
/// is not rewritten, and of two racing rebuilds the one that read newer data wins.
/// </summary>
public sealed class HomepagePublisher(
    HomepageStore store,
    ListingStore listings,
    ArticleStore articles,
    TaxonomyStore taxonomy,
    ArticleIndexer indexer,
    IndexOutbox outbox,
    PhotoResolver photos,
    IOptions<HomepageOptions> options,
    TimeProvider time,
    ILogger<HomepagePublisher> log)
{
    /// <summary>Rebuilds unless the published snapshot already reflects everything up to <paramref name="requestedAt"/>.</summary>
    public async Task<RebuildOutcome> RebuildIfOlderThanAsync(DateTimeOffset requestedAt, CancellationToken cancellationToken)
    {
        var current = await store.GetSnapshotInfoAsync(cancellationToken);
        if (current is not null && current.AsOf >= requestedAt)
        {
            HomepageLog.RebuildCoalesced(log, requestedAt, current.AsOf);
            return RebuildOutcome.AlreadyFresh;
        }
        return await RebuildAsync(cancellationToken);
    }

    public async Task<RebuildOutcome> RebuildAsync(CancellationToken cancellationToken)
    {
        await RepairAsync(cancellationToken);
        var o = options.Value;
        var asOf = time.GetUtcNow();
        var names = await taxonomy.GetAsync(cancellationToken);
        var (layout, _) = await store.GetLayoutAsync(cancellationToken);

        var pinnedTop = PinnedAsync(layout.TopStories, asOf, cancellationToken);
        var pinnedVideos = PinnedAsync(layout.FeaturedVideos, asOf, cancellationToken);
        var reserve = o.TopStories + o.Latest + Math.Min(layout.TopStories.Count, o.MaxPinned);
        var newest = HeadAsync(ListingKey.All, asOf, reserve, cancellationToken);
        var newestVideos = HeadAsync(ListingKey.Videos, asOf, o.FeaturedVideos + layout.FeaturedVideos.Count, cancellationToken);
        var topCategories = names.Tree().Select(c => c.Slug).ToList();
        var sections = Task.WhenAll(topCategories.Select(c => HeadAsync(ListingKey.Category(c), asOf, o.SectionSize + reserve, cancellationToken)));
        var eventSlugs = names.Events.Keys.Order(StringComparer.Ordinal).ToList();
        var events = Task.WhenAll(eventSlugs.Select(e => HeadAsync(ListingKey.Event(e), asOf, o.EventItems, cancellationToken)));

        var inputs = new HomepageInputs(
            await pinnedTop,
            await newest,
            [.. topCategories.Zip(await sections, (c, h) => (c, h))],
            [.. eventSlugs.Zip(await events, (e, h) => (e, h))],
            await pinnedVideos,
            await newestVideos);

        // The content hash leaves out version and time, so an unchanged page is recognised as such.
        var content = HomepageAssembler.Assemble(inputs, names, o, 0, DateTimeOffset.UnixEpoch);
        var contentHash = Convert.ToHexStringLower(SHA256.HashData(NewsroomJson.SerializeToUtf8Bytes(content)));

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await store.GetSnapshotInfoAsync(cancellationToken);
            if (current is not null && current.AsOf > asOf)
            {
                HomepageLog.RebuildSuperseded(log, asOf, current.AsOf);
                return RebuildOutcome.Superseded;
            }
            if (current?.ContentHash == contentHash)
            {
                return RebuildOutcome.Unchanged;
            }
            var version = (current?.Version ?? 0) + 1;
            var body = NewsroomJson.SerializeToUtf8Bytes(content with { Version = version, GeneratedAt = asOf });
            if (await store.TryPublishSnapshotAsync(body, version, asOf, contentHash, current?.ETag, cancellationToken))
            {
                HomepageLog.Published(log, version, asOf, body.Length);
                return RebuildOutcome.Published;
            }
        }
        return RebuildOutcome.Superseded;
    }

    /// <summary>Re-indexes every article an interrupted write left in the outbox (past the grace period).</summary>
    public async Task<int> RepairAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddSeconds(-options.Value.RepairGraceSeconds);
        var pending = await outbox.PendingAsync(100, cancellationToken);
        var repaired = 0;
        foreach (var entry in pending.Where(p => p.MarkedAt <= cutoff))
        {
            await indexer.ReindexAsync(entry.ArticleId, cancellationToken);
            await outbox.ClearAsync(entry, cancellationToken);
            repaired++;
        }
        if (repaired > 0)
        {
            HomepageLog.Repaired(log, repaired);
        }
        return repaired;
    }

    private async Task<IReadOnlyList<Teaser>> HeadAsync(string listingKey, DateTimeOffset asOf, int take, CancellationToken cancellationToken)
    {
        var rows = await listings.ReadHeadAsync(listingKey, asOf, take, cancellationToken);
        // Keep each head a few hundred rows: what the rebuild reads never grows with the archive.
        await listings.TrimHeadAsync(listingKey, options.Value.HeadSize, cancellationToken);
        return await photos.ResolveAsync(rows.Select(r => r.Teaser), cancellationToken);
    }

    private async Task<IReadOnlyList<Teaser>> PinnedAsync(IReadOnlyList<string> ids, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var found = await Task.WhenAll(ids.Take(options.Value.MaxPinned).Select(id => articles.GetAsync(id, cancellationToken)));
        return await photos.ResolveAsync(found.Where(s => s is not null && s.Article.IsPublicAt(asOf)).Select(s => Teaser.From(s!.Article)), cancellationToken);
    }
}
