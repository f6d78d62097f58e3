using Azure;
using Azure.Data.Tables;
using Newsroom.Storage;

namespace Newsroom.Publishing;

/// <summary>Why an article was marked: the repair re-indexes both the same way, but only the first is a fault.</summary>
public enum OutboxReason
{
    /// <summary>A write of the article is (or was, if it is still marked after the grace) in flight.</summary>
    Write,

    /// <summary>A photo the article shows turned ready after the article was indexed: its renditions are to be added.</summary>
    PhotoReady,
}

/// <param name="Attempts">How many repair passes failed on it so far.</param>
public sealed record OutboxEntry(string ArticleId, DateTimeOffset MarkedAt, ETag ETag, int Attempts = 0, string? LastError = null, OutboxReason Reason = OutboxReason.Write);

/// <summary>
/// Articles whose listings may be out of step: marked before any write of an article, cleared after its
/// listings are re-indexed. Whatever a crash interrupts stays marked, and the homepage rebuild's repair
/// pass re-indexes it. A photo turning ready marks the articles that show it too, with its own reason, so
/// the repair adds the renditions without counting them as interrupted writes. One small partition, so the
/// repair reads only what is pending. An entry that keeps failing (a document that no longer decodes, a
/// missing overflow blob) is set aside in a second partition after a bounded number of attempts, so it
/// cannot hold up every later rebuild.
/// </summary>
public sealed class IndexOutbox(StorageClients storage)
{
    private const string Pending = "reindex";
    private const string SetAside = "setaside";

    private TableClient Table => storage.Table(StorageNames.OutboxTableName);

    /// <summary>Marks the article before a write of it; the entry returned clears only this mark.</summary>
    public Task<OutboxEntry> MarkAsync(string articleId, DateTimeOffset at, CancellationToken cancellationToken) =>
        MarkAsync(articleId, at, OutboxReason.Write, cancellationToken);

    /// <summary>
    /// Marks the article for the repair to re-index it, for <paramref name="reason"/>. A mark replaces any other of
    /// the same article, so a write in flight then leaves it for the repair instead of clearing it.
    /// </summary>
    public async Task<OutboxEntry> MarkAsync(string articleId, DateTimeOffset at, OutboxReason reason, CancellationToken cancellationToken)
    {
        var entry = new OutboxEntry(articleId, at, ETag.All, Reason: reason);
        var response = await Table.UpsertEntityAsync(Entity(Pending, entry), TableUpdateMode.Replace, cancellationToken);
        return entry with { ETag = response.Headers.ETag ?? ETag.All };
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
            await Table.UpdateEntityAsync(Entity(Pending, entry with { Attempts = entry.Attempts + 1, LastError = error }), entry.ETag, TableUpdateMode.Replace, cancellationToken);
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
        await Table.UpsertEntityAsync(Entity(SetAside, entry with { Attempts = entry.Attempts + 1, LastError = error }), TableUpdateMode.Replace, cancellationToken);
        await DeleteAsync(Pending, entry.ArticleId, entry.ETag, cancellationToken);
    }

    private static TableEntity Entity(string partition, OutboxEntry entry)
    {
        var entity = new TableEntity(partition, entry.ArticleId) { ["MarkedAt"] = entry.MarkedAt };
        if (entry.Reason != OutboxReason.Write)
        {
            // A row without a reason is a write's, as every row was before photos marked articles.
            entity["Reason"] = entry.Reason.ToString();
        }
        if (entry.Attempts > 0)
        {
            entity["Attempts"] = entry.Attempts;
        }
        if (entry.LastError is { } error)
        {
            // A table string property holds 32K characters; an error message is kept to its start.
            entity["LastError"] = error.Length > 2000 ? error[..2000] : error;
        }
        return entity;
    }

    private async Task<IReadOnlyList<OutboxEntry>> ReadAsync(string partition, int max, CancellationToken cancellationToken)
    {
        var entries = new List<OutboxEntry>();
        await foreach (var e in Table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, maxPerPage: max, cancellationToken: cancellationToken))
        {
            entries.Add(new OutboxEntry(e.RowKey, e.GetDateTimeOffset("MarkedAt") ?? DateTimeOffset.MinValue, e.ETag, e.GetInt32("Attempts") ?? 0, e.GetString("LastError"),
                Enum.TryParse<OutboxReason>(e.GetString("Reason"), out var reason) ? reason : OutboxReason.Write));
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
