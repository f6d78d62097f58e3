using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsroom.Articles;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Photos;
using Newsroom.Publishing;
using Newsroom.Storage;
using Newsroom.Taxonomy;
using Newsroom.Telemetry;

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
/// index outbox; an entry that keeps failing is set aside rather than stopping every later rebuild), then it
/// reads only the head of each listing partition it needs, and only the running stories that are in focus
/// or recently active, so its cost grows neither with the archive nor with the number of events ever
/// created. It lays the page out and publishes it with a conditional write: an unchanged page is not
/// rewritten but marked fresh, and of two racing rebuilds the one that read newer data wins. On one
/// instance rebuilds run one at a time, so a burst of requests coalesces into one rebuild.
/// </summary>
public sealed class HomepagePublisher(
    HomepageStore store,
    ListingStore listings,
    ArticleStore articles,
    TaxonomyStore taxonomy,
    ArticleIndexer indexer,
    IndexOutbox outbox,
    PhotoResolver photos,
    Edge.EdgePurger edge,
    Print.PrintEditions print,
    IOptions<HomepageOptions> options,
    TimeProvider time,
    ILogger<HomepagePublisher> log) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Rebuilds unless the published snapshot already reflects everything up to <paramref name="requestedAt"/>.</summary>
    public async Task<RebuildOutcome> RebuildIfOlderThanAsync(DateTimeOffset requestedAt, CancellationToken cancellationToken, string? traceParent = null)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Checked after waiting: the rebuild this request waited for may have covered it.
            var current = await store.GetSnapshotInfoAsync(cancellationToken);
            if (current is not null && current.AsOf >= requestedAt)
            {
                HomepageLog.RebuildCoalesced(log, requestedAt, current.AsOf);
                return RebuildOutcome.AlreadyFresh;
            }
            return await RebuildNowAsync(traceParent, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<RebuildOutcome> RebuildAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await RebuildNowAsync(null, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>One rebuild, traced (continuing the trace of the change that asked for it) and measured.</summary>
    private async Task<RebuildOutcome> RebuildNowAsync(string? traceParent, CancellationToken cancellationToken)
    {
        using var activity = NewsroomTelemetry.StartFromMessage("homepage.rebuild", traceParent);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var outcome = await BuildAndPublishAsync(cancellationToken);
            activity?.SetTag("newsroom.rebuild.outcome", outcome.ToString());
            if (outcome == RebuildOutcome.Published)
            {
                await edge.RequestAsync([Edge.EdgePaths.Homepage], "homepage rebuilt", CancellationToken.None);
            }
            return outcome;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            NewsroomTelemetry.RebuildFailures.Add(1);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        finally
        {
            NewsroomTelemetry.RebuildDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private async Task<RebuildOutcome> BuildAndPublishAsync(CancellationToken cancellationToken)
    {
        await RepairAsync(cancellationToken);
        var o = options.Value;
        var asOf = time.GetUtcNow();
        var names = await taxonomy.GetAsync(cancellationToken);
        var (layout, _) = await store.GetLayoutAsync(cancellationToken);

        var pinnedTop = PinnedAsync(layout.TopStories, asOf, cancellationToken);
        var pinnedVideos = PinnedAsync(layout.FeaturedVideos, asOf, cancellationToken);
        var reserve = o.TopStories + o.Latest + Math.Min(layout.TopStories.Count, o.MaxPinned);
        var newestRows = HeadAsync(ListingKey.All, asOf, Math.Max(reserve, o.ActiveEventWindow), cancellationToken);
        var newestVideos = HeadAsync(ListingKey.Videos, asOf, o.FeaturedVideos + layout.FeaturedVideos.Count, cancellationToken);
        var topCategories = names.Tree().Select(c => c.Key).ToList();
        var sections = Task.WhenAll(topCategories.Select(c => HeadAsync(ListingKey.Category(c), asOf, o.SectionSize + reserve, cancellationToken)));
        var eventSlugs = EventsToRead(names, await newestRows, o);
        var events = Task.WhenAll(eventSlugs.Select(e => HeadAsync(ListingKey.Event(e), asOf, o.EventItems, cancellationToken)));

        var inputs = new HomepageInputs(
            await pinnedTop,
            await photos.ResolveAsync((await newestRows).Take(reserve), cancellationToken),
            [.. topCategories.Zip(await Task.WhenAll((await sections).Select(h => photos.ResolveAsync(h, cancellationToken))), (c, h) => (c, h))],
            [.. eventSlugs.Zip(await Task.WhenAll((await events).Select(h => photos.ResolveAsync(h, cancellationToken))), (e, h) => (e, h))],
            await pinnedVideos,
            await photos.ResolveAsync(await newestVideos, cancellationToken))
        {
            Links = layout.Links,
            Columns = await Task.WhenAll(names.ActiveColumns().Select(async c =>
                new HomepageColumn(c.Slug, c.Name, c.Description, await photos.ResolveAsync(c.Banner, cancellationToken)))),
            PrintIssues = await print.LatestAsync(cancellationToken),
        };

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
                // Nothing changed, but the page is now known fresh as of asOf: requests up to then are covered.
                if (current.AsOf < asOf && !await store.MarkFreshAsync(current, asOf, cancellationToken))
                {
                    continue;
                }
                HomepageLog.MarkedFresh(log, asOf);
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

    /// <summary>
    /// The running stories worth reading: those editors put in focus, then those with the newest articles among
    /// the latest <see cref="HomepageOptions.ActiveEventWindow"/>; never every event ever created.
    /// </summary>
    internal static IReadOnlyList<string> EventsToRead(TaxonomySnapshot names, IReadOnlyList<Teaser> newest, HomepageOptions o)
    {
        var inFocus = names.Events.Values.Where(e => e.InFocus && !e.Retired).Select(e => e.Key).Order(StringComparer.Ordinal).Take(o.MaxPinned);
        var active = newest.SelectMany(t => t.Events).Where(names.Events.ContainsKey).Distinct(StringComparer.Ordinal).Take(o.EventsInFocus);
        return [.. inFocus.Concat(active).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Re-indexes every article an interrupted write (or a photo that turned ready) left in the outbox (past the
    /// grace period), then has the edge drop what it holds of a public one: the purge its save asked for may have
    /// run before its listings and page were right, and the edge would keep the old ones until max-age. One entry
    /// that cannot be re-indexed does not stop the others: its failure is counted, and after
    /// <see cref="HomepageOptions.MaxRepairAttempts"/> it is set aside with an error logged. A failure of
    /// storage itself counts against no entry: the rebuild fails and the next one tries again. Interrupted writes are
    /// logged as a warning (a fault an operator may want to see); photos turning ready are the everyday case and are not.
    /// </summary>
    public async Task<int> RepairAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddSeconds(-options.Value.RepairGraceSeconds);
        var pending = await outbox.PendingAsync(100, cancellationToken);
        var repaired = 0;
        var photosAdded = 0;
        foreach (var entry in pending.Where(p => p.MarkedAt <= cutoff))
        {
            try
            {
                var article = await indexer.ReindexAsync(entry.ArticleId, cancellationToken);
                await outbox.ClearAsync(entry, cancellationToken);
                if (entry.Reason == OutboxReason.PhotoReady)
                {
                    photosAdded++;
                }
                else
                {
                    repaired++;
                }
                if (article is not null)
                {
                    await edge.RequestAsync(Edge.EdgePaths.ForChange(null, article, await taxonomy.GetAsync(cancellationToken)),
                        $"article {article.Id} re-indexed by the repair", cancellationToken);
                }
            }
            catch (Exception e) when (!StorageFailures.IsUnavailable(e))
            {
                var attempt = entry.Attempts + 1;
                var reason = e.GetType().Name + ": " + e.Message;
                if (attempt >= options.Value.MaxRepairAttempts)
                {
                    await outbox.SetAsideAsync(entry, reason, cancellationToken);
                    HomepageLog.RepairSetAside(log, e, entry.ArticleId, attempt, reason);
                }
                else
                {
                    await outbox.RecordFailureAsync(entry, reason, cancellationToken);
                    HomepageLog.RepairFailed(log, e, entry.ArticleId, attempt, options.Value.MaxRepairAttempts);
                }
            }
        }
        if (repaired > 0)
        {
            HomepageLog.Repaired(log, repaired);
        }
        if (photosAdded > 0)
        {
            HomepageLog.PhotosAdded(log, photosAdded);
        }
        return repaired + photosAdded;
    }

    private async Task<IReadOnlyList<Teaser>> HeadAsync(string listingKey, DateTimeOffset asOf, int take, CancellationToken cancellationToken)
    {
        var rows = await listings.ReadHeadAsync(listingKey, asOf, take, cancellationToken);
        // Keep each head a few hundred rows: what the rebuild reads never grows with the archive.
        await listings.TrimHeadAsync(listingKey, options.Value.HeadSize, cancellationToken);
        return [.. rows.Select(r => r.Teaser)];
    }

    private async Task<IReadOnlyList<Teaser>> PinnedAsync(IReadOnlyList<string> ids, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var found = await Task.WhenAll(ids.Take(options.Value.MaxPinned).Select(async id =>
        {
            try
            {
                return await articles.GetAsync(id, cancellationToken);
            }
            catch (Exception e) when (!StorageFailures.IsUnavailable(e))
            {
                // An article that no longer decodes must not take the homepage down with it.
                HomepageLog.PinnedUnreadable(log, e, id);
                return null;
            }
        }));
        return await photos.ResolveAsync(found.Where(s => s is not null && s.Article.IsPublicAt(asOf)).Select(s => Teaser.From(s!.Article)), cancellationToken);
    }
}
