using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Newsroom.Reading;
using Newsroom.Storage;

namespace Newsroom.Taxonomy;

/// <summary>
/// Categories and events in one small table (PartitionKey "category" or "event", RowKey = slug). Readers
/// get an in-memory snapshot refreshed every few seconds: the taxonomy changes rarely and every request
/// needs names from it.
/// </summary>
public sealed class TaxonomyStore(StorageClients storage, IMemoryCache cache, IOptions<ReaderOptions> options)
{
    private const string CategoryPartition = "category";
    private const string EventPartition = "event";
    private static readonly object CacheKey = new();

    private TableClient Table => storage.Table(StorageNames.TaxonomyTableName);

    public async Task<TaxonomySnapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(CacheKey, out TaxonomySnapshot? cached) && cached is not null)
        {
            return cached;
        }
        var categories = new List<Category>();
        await foreach (var e in Table.QueryAsync<TableEntity>(e => e.PartitionKey == CategoryPartition, cancellationToken: cancellationToken))
        {
            categories.Add(new Category(e.RowKey, e.GetString(nameof(Category.Name)) ?? e.RowKey, e.GetString(nameof(Category.Parent)),
                e.GetInt32(nameof(Category.Order)) ?? 0, e.GetString(nameof(Category.Description))));
        }
        var events = new List<NewsEvent>();
        await foreach (var e in Table.QueryAsync<TableEntity>(e => e.PartitionKey == EventPartition, cancellationToken: cancellationToken))
        {
            events.Add(new NewsEvent(e.RowKey, e.GetString(nameof(NewsEvent.Name)) ?? e.RowKey, e.GetString(nameof(NewsEvent.Description))));
        }
        var snapshot = new TaxonomySnapshot(categories, events);
        cache.SetFor(CacheKey, snapshot, options.Value.CacheSeconds);
        return snapshot;
    }

    public async Task UpsertAsync(Category category, CancellationToken cancellationToken)
    {
        await Table.UpsertEntityAsync(new TableEntity(CategoryPartition, category.Slug)
        {
            [nameof(Category.Name)] = category.Name,
            [nameof(Category.Parent)] = category.Parent,
            [nameof(Category.Order)] = category.Order,
            [nameof(Category.Description)] = category.Description,
        }, TableUpdateMode.Replace, cancellationToken);
        cache.Remove(CacheKey);
    }

    public async Task UpsertAsync(NewsEvent newsEvent, CancellationToken cancellationToken)
    {
        await Table.UpsertEntityAsync(new TableEntity(EventPartition, newsEvent.Slug)
        {
            [nameof(NewsEvent.Name)] = newsEvent.Name,
            [nameof(NewsEvent.Description)] = newsEvent.Description,
        }, TableUpdateMode.Replace, cancellationToken);
        cache.Remove(CacheKey);
    }
}
