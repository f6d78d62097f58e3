using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Newsroom.Articles;
using Newsroom.Storage;
using Newsroom.Taxonomy;

namespace Newsroom.Publishing;

/// <summary>
/// Brings data stored before the desk (and the feeds) existed up to what they rely on, once per storage account:
/// sections and events get claims on the slugs they answer to, and every article is re-indexed (its desk
/// lists, the usage rows on the photos it shows). It goes a batch at a time from a timer, remembering
/// where it stopped (a marker row in the outbox table), so a large archive never makes one long run; on a
/// new deployment the first run finds nothing and marks itself done.
/// </summary>
public sealed class IndexBackfill(StorageClients storage, ArticleStore articles, ArticleIndexer indexer, TaxonomyStore taxonomy, ILogger<IndexBackfill> log)
{
    private const string Partition = "backfill";
    // Bumped whenever what indexing writes grows: "desk-v1" (desk lists, photo usage), then "feeds-v2"
    // (teasers with byline and last change, month markers for the sitemaps), then "pages-v1" (articles ready
    // to serve under their slugs, teasers with their ready lead photo). A new row runs the pass again.
    private const string Row = "pages-v1";
    public const int DefaultBatch = 200;

    private volatile bool _done;

    /// <summary>Re-indexes up to <paramref name="batch"/> more articles; how many it did (0 once done).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken, int batch = DefaultBatch)
    {
        if (_done)
        {
            return 0;
        }
        var markers = storage.Table(StorageNames.OutboxTableName);
        var marker = await markers.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellationToken);
        var state = marker.HasValue ? marker.Value : null;
        if (state?.GetBoolean("Done") == true)
        {
            _done = true;
            return 0;
        }
        if (state is null)
        {
            await taxonomy.ClaimExistingSlugsAsync(cancellationToken);
        }
        var after = state?.GetString("After") ?? "";
        var ids = new List<string>(batch);
        await foreach (var id in articles.IdsAsync(after, batch, cancellationToken))
        {
            ids.Add(id);
            if (ids.Count == batch)
            {
                break;
            }
        }
        foreach (var id in ids)
        {
            await indexer.ReindexAsync(id, cancellationToken);
        }
        var done = ids.Count < batch;
        await markers.UpsertEntityAsync(new TableEntity(Partition, Row) { ["After"] = ids.Count > 0 ? ids[^1] : after, ["Done"] = done },
            TableUpdateMode.Replace, cancellationToken);
        _done = done;
        PublishingLog.Backfilled(log, ids.Count, done);
        return ids.Count;
    }
}
