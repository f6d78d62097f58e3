using Azure;
using Azure.Data.Tables;
using Newsroom.Storage;

namespace Newsroom.Publishing;

/// <summary>
/// Articles whose listings may be out of step: marked before any write of an article, cleared after its
/// listings are re-indexed. Whatever a crash interrupts stays marked, and the homepage rebuild's repair
/// pass re-indexes it. One small partition, so the repair reads only what is pending.
/// </summary>
public sealed class IndexOutbox(StorageClients storage)
{
    private const string Partition = "reindex";

    private TableClient Table => storage.Table(StorageNames.OutboxTableName);

    public Task MarkAsync(string articleId, DateTimeOffset at, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(new TableEntity(Partition, articleId) { ["MarkedAt"] = at }, TableUpdateMode.Replace, cancellationToken);

    public async Task ClearAsync(string articleId, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(Partition, articleId, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    public async Task<IReadOnlyList<string>> PendingAsync(int max, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var e in Table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, maxPerPage: max, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(e.RowKey);
            if (ids.Count == max)
            {
                break;
            }
        }
        return ids;
    }
}
