using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Newsroom.Json;
using Newsroom.Storage;
using System.Text.Json;
using Newsroom.Time;

namespace Newsroom.Listings;

public sealed record ListingRow(string RowKey, Teaser Teaser);

/// <summary>
/// Listings: one partition per listing (all, category:x, event:y), rows newest first
/// (<see cref="ListingKey"/>), each row a denormalized teaser. Every row is written to two tables with the
/// same keys: the archive (listings), which readers page through with cursors, and the heads
/// (listingheads), which the homepage rebuild reads and trims to the newest few hundred rows per listing,
/// so the rebuild's reads stay the same size however large the archive grows. Reads are range scans of
/// one partition: never a full-table scan.
/// </summary>
public sealed class ListingStore(StorageClients storage)
{
    private const string TeaserProperty = "Teaser";

    private TableClient Table => storage.Table(StorageNames.ListingsTableName);
    private TableClient Heads => storage.Table(StorageNames.ListingHeadsTableName);

    /// <summary>
    /// Up to <paramref name="take"/> rows of a listing visible at <paramref name="now"/> (published by then and not
    /// expired), newest first, starting after <paramref name="afterRowKey"/> when given.
    /// </summary>
    public Task<IReadOnlyList<ListingRow>> ReadAsync(
        string listingKey, DateTimeOffset now, string? afterRowKey, int take, CancellationToken cancellationToken) =>
        ReadAsync(Table, listingKey, now, afterRowKey, take, cancellationToken);

    /// <summary>The newest <paramref name="take"/> rows visible at <paramref name="now"/>, from the heads table.</summary>
    public Task<IReadOnlyList<ListingRow>> ReadHeadAsync(string listingKey, DateTimeOffset now, int take, CancellationToken cancellationToken) =>
        ReadAsync(Heads, listingKey, now, null, take, cancellationToken);

    /// <summary>Deletes the head rows of a listing past the newest <paramref name="keep"/> (the archive keeps them).</summary>
    public async Task<int> TrimHeadAsync(string listingKey, int keep, CancellationToken cancellationToken)
    {
        var seen = 0;
        var stale = new List<string>();
        await foreach (var entity in Heads.QueryAsync<TableEntity>(e => e.PartitionKey == listingKey, maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (++seen > keep)
            {
                stale.Add(entity.RowKey);
            }
        }
        foreach (var batch in stale.Chunk(100))
        {
            try
            {
                await Heads.SubmitTransactionAsync(batch.Select(rowKey => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(listingKey, rowKey), ETag.All)), cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Another rebuild trimmed some of these rows first, which fails the whole batch: delete one by one,
                // a row already gone being no error.
                await Task.WhenAll(batch.Select(rowKey => DeleteIfExistsAsync(Heads, listingKey, rowKey, cancellationToken)));
            }
        }
        return stale.Count;
    }

    private static async Task DeleteIfExistsAsync(TableClient table, string listingKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(listingKey, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone: deletes are idempotent.
        }
    }

    private static async Task<IReadOnlyList<ListingRow>> ReadAsync(
        TableClient table, string listingKey, DateTimeOffset now, string? afterRowKey, int take, CancellationToken cancellationToken)
    {
        var from = ListingKey.VisibleFrom(now);
        var filter = afterRowKey is not null && string.CompareOrdinal(afterRowKey, from) >= 0
            ? TableClient.CreateQueryFilter($"PartitionKey eq {listingKey} and RowKey gt {afterRowKey}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {listingKey} and RowKey ge {from}");
        var rows = new List<ListingRow>(take);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(take, 1000), ["RowKey", TeaserProperty], cancellationToken))
        {
            var teaser = Deserialize(entity);
            if (teaser.ExpireAt <= now)
            {
                continue; // expired: gone for readers now, its row removed when the timer records the expiry
            }
            rows.Add(new ListingRow(entity.RowKey, teaser));
            if (rows.Count == take)
            {
                break;
            }
        }
        return rows;
    }

    /// <summary>
    /// Writes the row to the archive, then to the heads (both idempotent upserts). A row of the whole paper's
    /// listing also marks its month (Vietnam time) as having articles, for the sitemap index.
    /// </summary>
    public async Task UpsertAsync(string listingKey, string rowKey, Teaser teaser, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(listingKey, rowKey) { [TeaserProperty] = JsonSerializer.Serialize(teaser, NewsroomJson.Stored) };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        await Heads.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        if (listingKey == ListingKey.All)
        {
            await Table.UpsertEntityAsync(new TableEntity(MonthsPartition, MonthKey(teaser.PublishedAt)) { ["LastModified"] = teaser.UpdatedAt ?? teaser.PublishedAt },
                TableUpdateMode.Merge, cancellationToken);
        }
    }

    /// <summary>The partition of month markers ("yyyy-MM", Vietnam time): no listing has this key.</summary>
    public const string MonthsPartition = "months";

    public static string MonthKey(DateTimeOffset publishedAt) => publishedAt.ToVietnam().ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>Every month that has had an article, oldest first, with the last change written in it.</summary>
    public async Task<IReadOnlyList<(string Month, DateTimeOffset LastModified)>> ReadMonthsAsync(CancellationToken cancellationToken)
    {
        var months = new List<(string, DateTimeOffset)>();
        await foreach (var e in Table.QueryAsync<TableEntity>(e => e.PartitionKey == MonthsPartition, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            months.Add((e.RowKey, e.GetDateTimeOffset("LastModified") ?? DateTimeOffset.MinValue));
        }
        return months;
    }

    /// <summary>
    /// Rows of a listing published in [<paramref name="from"/>, <paramref name="until"/>), newest first, after
    /// skipping <paramref name="skip"/>: one range of the partition, however large the archive.
    /// </summary>
    public async Task<IReadOnlyList<ListingRow>> ReadBetweenAsync(
        string listingKey, DateTimeOffset from, DateTimeOffset until, int skip, int take, CancellationToken cancellationToken)
    {
        // Keys invert time: published before "until" is a key at or above until's (less one tick), at or after
        // "from" a key below from's (less one tick).
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {listingKey} and RowKey ge {ListingKey.VisibleFrom(until.AddTicks(-1))} and RowKey lt {ListingKey.VisibleFrom(from.AddTicks(-1))}");
        var rows = new List<ListingRow>(Math.Min(take, 1000));
        var seen = 0;
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, ["RowKey", TeaserProperty], cancellationToken))
        {
            if (seen++ < skip)
            {
                continue;
            }
            rows.Add(new ListingRow(entity.RowKey, Deserialize(entity)));
            if (rows.Count == take)
            {
                break;
            }
        }
        return rows;
    }

    /// <summary>Deletes the row from the heads and the archive; a row already gone is fine.</summary>
    public async Task DeleteAsync(string listingKey, string rowKey, CancellationToken cancellationToken)
    {
        await DeleteIfExistsAsync(Heads, listingKey, rowKey, cancellationToken);
        await DeleteIfExistsAsync(Table, listingKey, rowKey, cancellationToken);
    }

    private static Teaser Deserialize(TableEntity entity) =>
        JsonSerializer.Deserialize<Teaser>(entity.GetString(TeaserProperty) ?? "null", NewsroomJson.Stored)
        ?? throw new InvalidDataException($"Listing row {entity.PartitionKey}/{entity.RowKey} has no teaser.");
}
