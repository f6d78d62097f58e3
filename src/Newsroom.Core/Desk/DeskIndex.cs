using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Newsroom.Articles;
using Newsroom.Identity;
using Newsroom.Json;
using Newsroom.Storage;

namespace Newsroom.Desk;

/// <summary>What a desk list shows of an article.</summary>
public sealed record DeskTeaser(
    string Id,
    string Slug,
    string Title,
    ArticleStatus Status,
    DateTimeOffset UpdatedAt,
    DeskActor? Owner,
    string Category,
    DateTimeOffset? PublishAt,
    int Revision)
{
    public DateTimeOffset? ExpireAt { get; init; }

    public static DeskTeaser From(Article a) => new(a.Id, a.Slug, a.Title, a.Status, a.UpdatedAt, a.Owner, a.Category, a.PublishAt, a.Revision)
    {
        ExpireAt = a.ExpireAt,
    };
}

/// <summary>
/// The desk lists: the desk table, one partition per state ("state:submitted") and per state and author
/// ("state:draft:owner:{id}"), rows newest change first (row key = inverted UpdatedAt + id). Kept by the
/// <see cref="Publishing.ArticleIndexer"/> like the public listings, crash-safe and idempotent.
/// </summary>
public sealed class DeskIndex(StorageClients storage)
{
    private const string TeaserProperty = "Teaser";

    private TableClient Table => storage.Table(StorageNames.DeskTableName);

    public static string Partition(ArticleStatus status) => "state:" + Name(status);

    /// <summary>
    /// Public articles that will expire, soonest first (row key = expiry time + id, not inverted), so the timer
    /// finds those due with one range read however many notices are waiting.
    /// </summary>
    public const string Expiring = "expiring";

    public static string ExpiringRowKey(DateTimeOffset expireAt, string articleId) =>
        expireAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "_" + articleId;

    public static string Partition(ArticleStatus status, string ownerId) => Partition(status) + ":owner:" + ownerId;

    /// <summary>The state's name in URLs and JSON: "submitted", "returned", …</summary>
    public static string Name(ArticleStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    public static string RowKey(Article article) =>
        (DateTimeOffset.MaxValue.UtcTicks - article.UpdatedAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "_" + article.Id;

    public Task UpsertAsync(string partition, string rowKey, DeskTeaser teaser, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(new TableEntity(partition, rowKey) { [TeaserProperty] = JsonSerializer.Serialize(teaser, NewsroomJson.Stored) }, TableUpdateMode.Replace, cancellationToken);

    public async Task DeleteAsync(string partition, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(partition, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone.
        }
    }

    /// <summary>The ids of the articles due to expire at <paramref name="now"/> (at most <paramref name="take"/>), soonest first.</summary>
    public async Task<IReadOnlyList<string>> ExpiringByAsync(DateTimeOffset now, int take, CancellationToken cancellationToken)
    {
        var bound = (now.UtcTicks + 1).ToString("D19", CultureInfo.InvariantCulture);
        var ids = new List<string>();
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Expiring} and RowKey lt {bound}"),
            maxPerPage: take, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(IdOf(e.RowKey));
            if (ids.Count == take)
            {
                break;
            }
        }
        return ids;
    }

    private static string IdOf(string rowKey) => rowKey[(rowKey.IndexOf('_', StringComparison.Ordinal) + 1)..];

    /// <summary>The ids of the articles in <paramref name="status"/> whose last change was at or after <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<string>> ChangedSinceAsync(ArticleStatus status, DateTimeOffset since, CancellationToken cancellationToken)
    {
        // Row keys invert the time of the last change: changed at or after "since" is a key below since's less one tick.
        var bound = (DateTimeOffset.MaxValue.UtcTicks - Math.Max(since.UtcTicks - 1, 0)).ToString("D19", CultureInfo.InvariantCulture);
        var filter = since == DateTimeOffset.MinValue
            ? TableClient.CreateQueryFilter($"PartitionKey eq {Partition(status)}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {Partition(status)} and RowKey lt {bound}");
        var ids = new List<string>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(IdOf(e.RowKey));
        }
        return ids;
    }

    /// <summary>Up to <paramref name="take"/> rows of a desk list after <paramref name="afterRowKey"/>, newest change first.</summary>
    public async Task<IReadOnlyList<(string RowKey, DeskTeaser Teaser)>> ReadAsync(string partition, string? afterRowKey, int take, CancellationToken cancellationToken)
    {
        var filter = afterRowKey is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {afterRowKey}");
        var rows = new List<(string, DeskTeaser)>(take);
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(take, 1000), cancellationToken: cancellationToken))
        {
            rows.Add((e.RowKey, JsonSerializer.Deserialize<DeskTeaser>(e.GetString(TeaserProperty) ?? "null", NewsroomJson.Stored)
                ?? throw new InvalidDataException($"Desk row {e.PartitionKey}/{e.RowKey} has no teaser.")));
            if (rows.Count == take)
            {
                break;
            }
        }
        return rows;
    }
}
