using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Newsroom.Json;
using Newsroom.Storage;

namespace Newsroom.Print;

/// <summary>
/// Periodicals and their issues in one partition of the "print" table (a paper prints a few hundred issues a year):
/// "periodical:{slug}", "issue:{id}", and listing rows "list|{periodical or *}|{year or *}|{inverted date}_{id}"
/// holding the issue, so every filter of GET /api/print-issues is one range read, newest first. An issue and its
/// four listing rows are written in one entity-group transaction: all of them or none.
/// </summary>
public sealed class PrintStore(StorageClients storage)
{
    private const string Partition = "print";
    private const string Document = "Doc";
    private const string Any = "*";

    private TableClient Table => storage.Table(StorageNames.PrintTableName);

    public async Task<IReadOnlyList<Periodical>> PeriodicalsAsync(CancellationToken cancellationToken)
    {
        var list = new List<Periodical>();
        await foreach (var e in Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {"periodical:"} and RowKey lt {"periodical;"}"), cancellationToken: cancellationToken))
        {
            list.Add(Read<Periodical>(e));
        }
        return [.. list.OrderBy(p => p.Order).ThenBy(p => p.Slug, StringComparer.Ordinal)];
    }

    /// <summary>Adds a periodical; false if its slug is taken.</summary>
    public async Task<bool> TryAddAsync(Periodical periodical, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(Row("periodical:" + periodical.Slug, periodical), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public Task<(Periodical Periodical, string ETag)?> GetPeriodicalWithETagAsync(string slug, CancellationToken cancellationToken) =>
        GetRowAsync<Periodical>("periodical:" + slug, cancellationToken);

    /// <summary>Replaces a periodical if its row still has <paramref name="etag"/>; the new ETag (412 when someone changed it first).</summary>
    public async Task<string> ReplaceAsync(Periodical periodical, string etag, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(Row("periodical:" + periodical.Slug, periodical), new ETag(etag), TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag?.ToString() ?? "";
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            throw new PreconditionFailedException($"The periodical '{periodical.Slug}' was changed by someone else since you read it. GET /api/desk/periodicals/{periodical.Slug} again, reapply your change and retry with the new ETag.");
        }
    }

    /// <summary>Adds the issue and its listing rows together; its ETag, or null if an issue has this id already.</summary>
    public async Task<string?> TryAddAsync(PrintIssue issue, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, Row("issue:" + issue.Id, issue)) };
        actions.AddRange(ListKeys(issue).Select(key => new TableTransactionAction(TableTransactionActionType.Add, Row(key, issue))));
        try
        {
            var response = await Table.SubmitTransactionAsync(actions, cancellationToken);
            return response.Value[0].Headers.ETag?.ToString();
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    /// <summary>
    /// Replaces the issue if its row still has <paramref name="etag"/>, moving its listing rows when its periodical or
    /// date changed, all in one transaction; returns the new ETag (412 when someone changed it first).
    /// </summary>
    public async Task<string> ReplaceAsync(PrintIssue before, PrintIssue after, string etag, CancellationToken cancellationToken)
    {
        var next = ListKeys(after).ToHashSet(StringComparer.Ordinal);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, Row("issue:" + after.Id, after), new ETag(etag)) };
        actions.AddRange(ListKeys(before).Where(k => !next.Contains(k)).Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, k), ETag.All)));
        actions.AddRange(next.Select(k => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(k, after))));
        return await SubmitAsync(after.Id, actions, cancellationToken);
    }

    /// <summary>Deletes the issue and its listing rows if its row still has <paramref name="etag"/> (412 otherwise).</summary>
    public Task DeleteAsync(PrintIssue issue, string etag, CancellationToken cancellationToken) =>
        SubmitAsync(issue.Id, [
            new(TableTransactionActionType.Delete, new TableEntity(Partition, "issue:" + issue.Id), new ETag(etag)),
            .. ListKeys(issue).Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, k), ETag.All)),
        ], cancellationToken);

    public async Task<PrintIssue?> GetAsync(string id, CancellationToken cancellationToken) => (await GetWithETagAsync(id, cancellationToken))?.Issue;

    public Task<(PrintIssue Issue, string ETag)?> GetWithETagAsync(string id, CancellationToken cancellationToken) =>
        GetRowAsync<PrintIssue>("issue:" + id, cancellationToken);

    private async Task<(T Value, string ETag)?> GetRowAsync<T>(string rowKey, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, rowKey, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? (Read<T>(e), e.ETag.ToString()) : null;
    }

    /// <summary>Every issue, or those written since <paramref name="changedSince"/> (one range read of the issue rows).</summary>
    public async IAsyncEnumerable<PrintIssue> IssuesAsync(DateTimeOffset? changedSince, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = changedSince is { } since && since > DateTimeOffset.MinValue
            ? TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {"issue:"} and RowKey lt {"issue;"} and Timestamp ge {since}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {"issue:"} and RowKey lt {"issue;"}");
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return Read<PrintIssue>(e);
        }
    }

    /// <summary>The issue's four listing rows: its periodical or any, its year or any.</summary>
    private static IEnumerable<string> ListKeys(PrintIssue issue)
    {
        var year = issue.IssuedOn.Year.ToString(CultureInfo.InvariantCulture);
        return from periodical in new[] { issue.Periodical, Any } from y in new[] { year, Any } select ListPrefix(periodical, y) + SortKey(issue);
    }

    private async Task<string> SubmitAsync(string id, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.SubmitTransactionAsync(actions, cancellationToken);
            return response.Value[0].Headers.ETag?.ToString() ?? "";
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 404)
        {
            throw new PreconditionFailedException($"The print issue '{id}' was changed by someone else since you read it. GET /api/desk/print-issues/{id} again, reapply your change and retry with the new ETag.");
        }
    }

    /// <summary>Up to <paramref name="take"/> issues, newest first, of a periodical and a year (null: any), after a row key.</summary>
    public async Task<IReadOnlyList<(string RowKey, PrintIssue Issue)>> ListAsync(string? periodical, int? year, string? afterRowKey, int take, CancellationToken cancellationToken)
    {
        var prefix = ListPrefix(periodical ?? Any, year?.ToString(CultureInfo.InvariantCulture) ?? Any);
        var from = afterRowKey is not null && string.CompareOrdinal(afterRowKey, prefix) > 0 ? afterRowKey : prefix;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey gt {from} and RowKey lt {prefix + "~"}");
        var rows = new List<(string, PrintIssue)>(take);
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(take, 1000), cancellationToken: cancellationToken))
        {
            rows.Add((e.RowKey, Read<PrintIssue>(e)));
            if (rows.Count == take)
            {
                break;
            }
        }
        return rows;
    }

    /// <summary>The listing a cursor is bound to.</summary>
    public static string ListPrefix(string periodical, string year) => $"list|{periodical}|{year}|";

    private static string SortKey(PrintIssue issue) =>
        (DateOnly.MaxValue.DayNumber - issue.IssuedOn.DayNumber).ToString("D7", CultureInfo.InvariantCulture) + "_" + issue.Id;

    private static TableEntity Row<T>(string rowKey, T value) => new(Partition, rowKey) { [Document] = JsonSerializer.Serialize(value, NewsroomJson.Stored) };

    private static T Read<T>(TableEntity e) =>
        JsonSerializer.Deserialize<T>(e.GetString(Document) ?? "null", NewsroomJson.Stored) ?? throw new InvalidDataException($"Print row {e.RowKey} is empty.");
}
