using Azure;
using Azure.Data.Tables;
using Newsroom.Storage;

namespace Newsroom.Publishing;

/// <param name="Attempts">How many repair passes failed on it so far.</param>
public sealed record OutboxEntry(string ArticleId, DateTimeOffset MarkedAt, ETag ETag, int Attempts = 0, string? LastError = null);

/// <summary>
/// Articles whose listings may be out of step: marked before any write of an article, cleared after its
/// listings are re-indexed. Whatever a crash interrupts stays marked, and the homepage rebuild's repair
/// pass re-indexes it. One small partition, so the repair reads only what is pending. An entry that keeps
/// failing (a document that no longer decodes, a missing overflow blob) is set aside in a second partition
/// after a bounded number of attempts, so it cannot hold up every later rebuild.
/// </summary>
public sealed class IndexOutbox(StorageClients storage)
{
    private const string Pending = "reindex";
    private const string SetAside = "setaside";

    private TableClient Table => storage.Table(StorageNames.OutboxTableName);

    /// <summary>Marks the article; the entry returned clears only this mark.</summary>
    public async Task<OutboxEntry> MarkAsync(string articleId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var response = await Table.UpsertEntityAsync(new TableEntity(Pending, articleId) { ["MarkedAt"] = at }, TableUpdateMode.Replace, cancellationToken);
        return new OutboxEntry(articleId, at, response.Headers.ETag ?? ETag.All);
    }

    /// <summary>Clears an entry, unless a newer write marked the article again meanwhile (that write clears its own).</summary>
    public Task ClearAsync(OutboxEntry entry, CancellationToken cancellationToken) => DeleteAsync(Pending, entry.ArticleId, entry.ETag, cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> PendingAsync(int max, CancellationToken cancellationToken) => ReadAsync(Pending, max, cancellationToken);

    /// <summary>Entries the repair gave up on, for an operator to look at.</summary>
    public Task<IReadOnlyList<OutboxEntry>> SetAsideAsync(int max, CancellationToken cancellationToken) => ReadAsync(SetAside, max, cancellationToken);

    /// <summary>Counts a failed repair of the entry; false if the article was marked anew meanwhile (the count starts over).</summary>
    public async Task<bool> RecordFailureAsync(OutboxEntry entry, string error, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(Entity(Pending, entry, entry.Attempts + 1, error), entry.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>Moves the entry out of the repair's way, keeping what went wrong.</summary>
    public async Task SetAsideAsync(OutboxEntry entry, string error, CancellationToken cancellationToken)
    {
        await Table.UpsertEntityAsync(Entity(SetAside, entry, entry.Attempts + 1, error), TableUpdateMode.Replace, cancellationToken);
        await DeleteAsync(Pending, entry.ArticleId, entry.ETag, cancellationToken);
    }

    private static TableEntity Entity(string partition, OutboxEntry entry, int attempts, string error) => new(partition, entry.ArticleId)
    {
        ["MarkedAt"] = entry.MarkedAt,
        ["Attempts"] = attempts,
        // A table string property holds 32K characters; an error message is kept to its start.
        ["LastError"] = error.Length > 2000 ? error[..2000] : error,
    };

    private async Task<IReadOnlyList<OutboxEntry>> ReadAsync(string partition, int max, CancellationToken cancellationToken)
    {
        var entries = new List<OutboxEntry>();
        await foreach (var e in Table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, maxPerPage: max, cancellationToken: cancellationToken))
        {
            entries.Add(new OutboxEntry(e.RowKey, e.GetDateTimeOffset("MarkedAt") ?? DateTimeOffset.MinValue, e.ETag, e.GetInt32("Attempts") ?? 0, e.GetString("LastError")));
            if (entries.Count == max)
            {
                break;
            }
        }
        return entries;
    }

    private async Task DeleteAsync(string partition, string articleId, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(partition, articleId, etag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Gone already, or marked again by a newer write that will clear it itself.
        }
    }
}
