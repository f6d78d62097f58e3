using Azure.Data.Tables;
using Newsroom.Reading;
using Newsroom.Storage;

namespace Newsroom.Taxonomy;

/// <summary>
/// Categories and events in one small table (PartitionKey "category" or "event", RowKey = slug). Readers
/// get an in-memory snapshot refreshed every few seconds: the taxonomy changes rarely and every request
/// needs names from it.
/// </summary>
public sealed class TaxonomyStore(StorageClients storage, ResponseCache cache)
{
    private const string CategoryPartition = "category";
    private const string EventPartition = "event";
    private const string CacheKey = "taxonomy";

    private TableClient Table => storage.Table(StorageNames.TaxonomyTableName);

    /// <summary>The taxonomy, from memory while fresh; when storage fails or stalls, the last one read.</summary>
    public Task<TaxonomySnapshot> GetAsync(CancellationToken cancellationToken) =>
        cache.GetAsync(CacheKey, [ReaderTags.Taxonomy], t => 512L * (t.Categories.Count + t.Events.Count), LoadAsync, cancellationToken);

    private async Task<TaxonomySnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var categories = new List<Category>();
        await foreach (var e in Table.QueryAsync<TableEntity>(e => e.PartitionKey == CategoryPartition, cancellationToken: cancellationToken))
        {
            categories.Add(new Category(e.RowKey, e.GetString(nameof(Category.Name)) ?? e.RowKey, e.GetString(nameof(Category.Parent)),
                e.GetInt32(nameof(Category.Order)) ?? 0, e.GetString(nameof(Category.Description))));
        }
        var events = new List<NewsEvent>();
        await foreach (var e in Table.QueryAsync<TableEntity>(e => e.PartitionKey == EventPartition, cancellationToken: cancellationToken))
        {
            events.Add(new NewsEvent(e.RowKey, e.GetString(nameof(NewsEvent.Name)) ?? e.RowKey, e.GetString(nameof(NewsEvent.Description)),
                e.GetBoolean(nameof(NewsEvent.InFocus)) ?? false));
        }
        return new TaxonomySnapshot(categories, events);
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
        cache.Invalidate([ReaderTags.Taxonomy]);
    }

    public async Task UpsertAsync(NewsEvent newsEvent, CancellationToken cancellationToken)
    {
        await Table.UpsertEntityAsync(new TableEntity(EventPartition, newsEvent.Slug)
        {
            [nameof(NewsEvent.Name)] = newsEvent.Name,
            [nameof(NewsEvent.Description)] = newsEvent.Description,
            [nameof(NewsEvent.InFocus)] = newsEvent.InFocus,
        }, TableUpdateMode.Replace, cancellationToken);
        cache.Invalidate([ReaderTags.Taxonomy]);
    }
}
