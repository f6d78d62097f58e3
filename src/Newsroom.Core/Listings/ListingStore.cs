using Azure;
using Azure.Data.Tables;
using Newsroom.Json;
using Newsroom.Storage;
using System.Text.Json;

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
    /// Up to <paramref name="take"/> rows of a listing visible at <paramref name="now"/>, newest first,
    /// starting after <paramref name="afterRowKey"/> when given.
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
            rows.Add(new ListingRow(entity.RowKey, Deserialize(entity)));
            if (rows.Count == take)
            {
                break;
            }
        }
        return rows;
    }

    /// <summary>Writes the row to the archive, then to the heads (both idempotent upserts).</summary>
    public async Task UpsertAsync(string listingKey, string rowKey, Teaser teaser, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(listingKey, rowKey) { [TeaserProperty] = JsonSerializer.Serialize(teaser, NewsroomJson.Stored) };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        await Heads.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
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
