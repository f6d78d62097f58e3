using Azure;
using Azure.Data.Tables;
using Newsroom.Storage;

namespace Newsroom.Publishing;

public sealed record OutboxEntry(string ArticleId, DateTimeOffset MarkedAt, ETag ETag);

/// <summary>
/// Articles whose listings may be out of step: marked before any write of an article, cleared after its
/// listings are re-indexed. Whatever a crash interrupts stays marked, and the homepage rebuild's repair
/// pass re-indexes it. One small partition, so the repair reads only what is pending.
/// </summary>
public sealed class IndexOutbox(StorageClients storage)
{
    private const string Partition = "reindex";

    private TableClient Table => storage.Table(StorageNames.OutboxTableName);

    /// <summary>Marks the article; the entry returned clears only this mark.</summary>
    public async Task<OutboxEntry> MarkAsync(string articleId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var response = await Table.UpsertEntityAsync(new TableEntity(Partition, articleId) { ["MarkedAt"] = at }, TableUpdateMode.Replace, cancellationToken);
        return new OutboxEntry(articleId, at, response.Headers.ETag ?? ETag.All);
    }

    /// <summary>Clears an entry, unless a newer write marked the article again meanwhile (that write clears its own).</summary>
    public Task ClearAsync(OutboxEntry entry, CancellationToken cancellationToken) => DeleteAsync(entry.ArticleId, entry.ETag, cancellationToken);

    public async Task<IReadOnlyList<OutboxEntry>> PendingAsync(int max, CancellationToken cancellationToken)
    {
        var entries = new List<OutboxEntry>();
        await foreach (var e in Table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, maxPerPage: max, cancellationToken: cancellationToken))
        {
            entries.Add(new OutboxEntry(e.RowKey, e.GetDateTimeOffset("MarkedAt") ?? DateTimeOffset.MinValue, e.ETag));
            if (entries.Count == max)
            {
                break;
            }
        }
        return entries;
    }

    private async Task DeleteAsync(string articleId, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(Partition, articleId, etag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Gone already, or marked again by a newer write that will clear it itself.
        }
    }
}
