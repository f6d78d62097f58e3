using Azure;
using Azure.Data.Tables;
using Newsroom.Json;
using Newsroom.Storage;
using System.Text.Json;

namespace Newsroom.Listings;

public sealed record ListingRow(string RowKey, Teaser Teaser);

/// <summary>
/// The listings table: one partition per listing (all, category:x, event:y), rows newest first
/// (<see cref="ListingKey"/>), each row a denormalized teaser. Reads are range scans of one partition's
/// head: never a full-table scan.
/// </summary>
public sealed class ListingStore(StorageClients storage)
{
    private const string TeaserProperty = "Teaser";

    private TableClient Table => storage.Table(StorageNames.ListingsTableName);

    /// <summary>
    /// Up to <paramref name="take"/> rows of a listing visible at <paramref name="now"/>, newest first,
    /// starting after <paramref name="afterRowKey"/> when given.
    /// </summary>
    public async Task<IReadOnlyList<ListingRow>> ReadAsync(
        string listingKey, DateTimeOffset now, string? afterRowKey, int take, CancellationToken cancellationToken)
    {
        var from = ListingKey.VisibleFrom(now);
        var filter = afterRowKey is not null && string.CompareOrdinal(afterRowKey, from) >= 0
            ? TableClient.CreateQueryFilter($"PartitionKey eq {listingKey} and RowKey gt {afterRowKey}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {listingKey} and RowKey ge {from}");
        var rows = new List<ListingRow>(take);
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(take, 1000), ["RowKey", TeaserProperty], cancellationToken))
        {
            rows.Add(new ListingRow(entity.RowKey, Deserialize(entity)));
            if (rows.Count == take)
            {
                break;
            }
        }
        return rows;
    }

    public Task UpsertAsync(string listingKey, string rowKey, Teaser teaser, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(new TableEntity(listingKey, rowKey)
        {
            [TeaserProperty] = JsonSerializer.Serialize(teaser, NewsroomJson.Options),
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task DeleteAsync(string listingKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(listingKey, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone: deletes are idempotent.
        }
    }

    private static Teaser Deserialize(TableEntity entity) =>
        JsonSerializer.Deserialize<Teaser>(entity.GetString(TeaserProperty) ?? "null", NewsroomJson.Options)
        ?? throw new InvalidDataException($"Listing row {entity.PartitionKey}/{entity.RowKey} has no teaser.");
}
