using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Newsroom.Articles;
using Newsroom.Json;
using Newsroom.Reading;
using Newsroom.Storage;

namespace Newsroom.Taxonomy;

/// <summary>A category or event as stored, with the entity tag of its row (the admins' If-Match).</summary>
public sealed record StoredTaxon<T>(T Item, string ETag);

/// <summary>
/// Categories, events and themed columns in one small table (PartitionKey "category", "event" or "column", RowKey =
/// key), and the public slugs they have had (PartitionKey "category-slug", "event-slug" or "column-slug", RowKey =
/// slug, pointing at the key), so a slug is never given twice and an old one keeps leading to its section. Readers get an
/// in-memory snapshot refreshed every few seconds: the taxonomy changes rarely and every request needs
/// names from it.
/// </summary>
public sealed class TaxonomyStore(StorageClients storage, ResponseCache cache, TimeProvider time)
{
    private const string CategoryPartition = "category";
    private const string EventPartition = "event";
    private const string ColumnPartition = "column";
    private const string CacheKey = "taxonomy";

    private TableClient Table => storage.Table(StorageNames.TaxonomyTableName);

    /// <summary>The taxonomy, from memory while fresh; when storage fails or stalls, the last one read.</summary>
    public Task<TaxonomySnapshot> GetAsync(CancellationToken cancellationToken) =>
        cache.GetSharedAsync(CacheKey, [ReaderTags.Taxonomy], t => 512L * (t.Categories.Count + t.Events.Count), LoadAsync, cancellationToken);

    private async Task<TaxonomySnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var categories = new List<Category>();
        var events = new List<NewsEvent>();
        var columns = new List<ThemedColumn>();
        await foreach (var e in Table.QueryAsync<TableEntity>(
            e => e.PartitionKey == CategoryPartition || e.PartitionKey == EventPartition || e.PartitionKey == ColumnPartition, cancellationToken: cancellationToken))
        {
            switch (e.PartitionKey)
            {
                case CategoryPartition: categories.Add(ToCategory(e)); break;
                case EventPartition: events.Add(ToEvent(e)); break;
                default: columns.Add(ToColumn(e)); break;
            }
        }
        return new TaxonomySnapshot(categories, events, columns);
    }

    public async Task<StoredTaxon<Category>?> GetCategoryAsync(string key, CancellationToken cancellationToken) =>
        await ReadAsync(CategoryPartition, key, cancellationToken) is { } e ? new StoredTaxon<Category>(ToCategory(e), e.ETag.ToString()) : null;

    public async Task<StoredTaxon<NewsEvent>?> GetEventAsync(string key, CancellationToken cancellationToken) =>
        await ReadAsync(EventPartition, key, cancellationToken) is { } e ? new StoredTaxon<NewsEvent>(ToEvent(e), e.ETag.ToString()) : null;

    public async Task<StoredTaxon<ThemedColumn>?> GetColumnAsync(string key, CancellationToken cancellationToken) =>
        await ReadAsync(ColumnPartition, key, cancellationToken) is { } e ? new StoredTaxon<ThemedColumn>(ToColumn(e), e.ETag.ToString()) : null;

    /// <summary>Adds a new category (fails with a conflict if its key exists); null <paramref name="ifMatch"/> means new.</summary>
    public Task<string> SaveAsync(Category category, string? ifMatch, CancellationToken cancellationToken) =>
        WriteAsync(new TableEntity(CategoryPartition, category.Key)
        {
            [nameof(Category.Name)] = category.Name,
            [nameof(Category.Parent)] = category.Parent,
            [nameof(Category.Order)] = category.Order,
            [nameof(Category.Description)] = category.Description,
            [nameof(Category.Slug)] = category.Slug,
            [nameof(Category.PreviousSlugs)] = JsonSerializer.Serialize(category.PreviousSlugs, NewsroomJson.Stored),
            [nameof(Category.Retired)] = category.Retired,
        }, ifMatch, cancellationToken);

    public Task<string> SaveAsync(NewsEvent newsEvent, string? ifMatch, CancellationToken cancellationToken) =>
        WriteAsync(new TableEntity(EventPartition, newsEvent.Key)
        {
            [nameof(NewsEvent.Name)] = newsEvent.Name,
            [nameof(NewsEvent.Description)] = newsEvent.Description,
            [nameof(NewsEvent.InFocus)] = newsEvent.InFocus,
            [nameof(NewsEvent.Slug)] = newsEvent.Slug,
            [nameof(NewsEvent.PreviousSlugs)] = JsonSerializer.Serialize(newsEvent.PreviousSlugs, NewsroomJson.Stored),
            [nameof(NewsEvent.CoverPhoto)] = newsEvent.CoverPhoto is null ? null : JsonSerializer.Serialize(newsEvent.CoverPhoto, NewsroomJson.Stored),
            [nameof(NewsEvent.Retired)] = newsEvent.Retired,
        }, ifMatch, cancellationToken);

    public Task<string> SaveAsync(ThemedColumn column, string? ifMatch, CancellationToken cancellationToken) =>
        WriteAsync(new TableEntity(ColumnPartition, column.Key)
        {
            [nameof(ThemedColumn.Name)] = column.Name,
            [nameof(ThemedColumn.Description)] = column.Description,
            [nameof(ThemedColumn.Order)] = column.Order,
            [nameof(ThemedColumn.Active)] = column.Active,
            [nameof(ThemedColumn.Slug)] = column.Slug,
            [nameof(ThemedColumn.PreviousSlugs)] = JsonSerializer.Serialize(column.PreviousSlugs, NewsroomJson.Stored),
            [nameof(ThemedColumn.Banner)] = column.Banner is null ? null : JsonSerializer.Serialize(column.Banner, NewsroomJson.Stored),
        }, ifMatch, cancellationToken);

    /// <summary>Writes a category whatever is there (the demo seeder, tests), with its slug claimed.</summary>
    public async Task UpsertAsync(Category category, CancellationToken cancellationToken)
    {
        await ClaimAsync(CategoryPartition, category.Slug, category.Key, cancellationToken);
        await SaveAsync(category, "*", cancellationToken);
    }

    public async Task UpsertAsync(NewsEvent newsEvent, CancellationToken cancellationToken)
    {
        await ClaimAsync(EventPartition, newsEvent.Slug, newsEvent.Key, cancellationToken);
        await SaveAsync(newsEvent, "*", cancellationToken);
    }

    public async Task UpsertAsync(ThemedColumn column, CancellationToken cancellationToken)
    {
        await ClaimAsync(ColumnPartition, column.Slug, column.Key, cancellationToken);
        await SaveAsync(column, "*", cancellationToken);
    }

    /// <summary>
    /// The first of <paramref name="wanted"/>, "wanted-2", … that no other category has had, for the category
    /// <paramref name="key"/>; a null key means a new category, whose key is the slug it gets.
    /// </summary>
    public Task<string> ClaimCategorySlugAsync(string wanted, string? key, CancellationToken cancellationToken) => ClaimAsync(CategoryPartition, wanted, key, cancellationToken);

    public Task<string> ClaimEventSlugAsync(string wanted, string? key, CancellationToken cancellationToken) => ClaimAsync(EventPartition, wanted, key, cancellationToken);

    public Task<string> ClaimColumnSlugAsync(string wanted, string? key, CancellationToken cancellationToken) => ClaimAsync(ColumnPartition, wanted, key, cancellationToken);

    /// <summary>Claims a public slug. A slug once given stays with its item (its old slugs redirect).</summary>
    private async Task<string> ClaimAsync(string kind, string wanted, string? item, CancellationToken cancellationToken)
    {
        var names = await GetAsync(cancellationToken);
        for (var n = 1; n < 1000; n++)
        {
            var candidate = n == 1 ? wanted : $"{wanted}-{n}";
            var key = item ?? candidate;
            // A slug (or key) another item answers to is taken, claimed or not (items stored before claims existed).
            var answers = kind switch
            {
                CategoryPartition => names.FindCategory(candidate),
                EventPartition => names.FindEvent(candidate),
                _ => names.FindColumn(candidate),
            };
            if (answers is not null && (item is null || answers.Key != item))
            {
                continue;
            }
            var row = await ReadAsync(kind + "-slug", candidate, cancellationToken);
            if (row is null)
            {
                try
                {
                    await Table.AddEntityAsync(new TableEntity(kind + "-slug", candidate) { ["Key"] = key, ["ClaimedAt"] = time.GetUtcNow() }, cancellationToken);
                    return candidate;
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    row = await ReadAsync(kind + "-slug", candidate, cancellationToken);
                }
            }
            // An existing item may take back a slug it has had; a new one only a slug nobody has.
            if (item is not null && row?.GetString("Key") == key)
            {
                return candidate;
            }
            // A claim its item does not name (a create or rename that failed) is taken over after the grace period.
            if (row is not null && time.GetUtcNow() - (row.GetDateTimeOffset("ClaimedAt") ?? DateTimeOffset.MaxValue) > ArticleSlugs.ClaimGrace
                && !Names(await ReadAsync(kind, row.GetString("Key") ?? "", cancellationToken), candidate))
            {
                try
                {
                    await Table.UpdateEntityAsync(new TableEntity(kind + "-slug", candidate) { ["Key"] = key, ["ClaimedAt"] = time.GetUtcNow() }, row.ETag, TableUpdateMode.Replace, cancellationToken);
                    return candidate;
                }
                catch (RequestFailedException e) when (e.Status == 412)
                {
                }
            }
        }
        throw new ConflictException($"No free slug near '{wanted}'; choose another name.");
    }

    /// <summary>Claims every slug a section or event answers to that has no claim yet (data from before claims existed).</summary>
    public async Task ClaimExistingSlugsAsync(CancellationToken cancellationToken)
    {
        var names = await LoadAsync(cancellationToken);
        var slugs = names.Categories.Values.SelectMany(c => c.PreviousSlugs.Append(c.Slug).Select(s => (Kind: CategoryPartition, Slug: s, c.Key)))
            .Concat(names.Events.Values.SelectMany(e => e.PreviousSlugs.Append(e.Slug).Select(s => (Kind: EventPartition, Slug: s, e.Key))))
            .Concat(names.Columns.Values.SelectMany(c => c.PreviousSlugs.Append(c.Slug).Select(s => (Kind: ColumnPartition, Slug: s, c.Key))));
        foreach (var (kind, slug, key) in slugs)
        {
            try
            {
                await Table.AddEntityAsync(new TableEntity(kind + "-slug", slug) { ["Key"] = key, ["ClaimedAt"] = time.GetUtcNow() }, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Claimed already.
            }
        }
    }

    /// <summary>Gives back a slug claimed for a write that was refused, unless the item names it after all.</summary>
    public Task ReleaseCategorySlugAsync(string slug, string key, CancellationToken cancellationToken) => ReleaseAsync(CategoryPartition, slug, key, cancellationToken);

    public Task ReleaseEventSlugAsync(string slug, string key, CancellationToken cancellationToken) => ReleaseAsync(EventPartition, slug, key, cancellationToken);

    public Task ReleaseColumnSlugAsync(string slug, string key, CancellationToken cancellationToken) => ReleaseAsync(ColumnPartition, slug, key, cancellationToken);

    private async Task ReleaseAsync(string kind, string slug, string key, CancellationToken cancellationToken)
    {
        if (await ReadAsync(kind + "-slug", slug, cancellationToken) is not { } row || row.GetString("Key") != key
            || Names(await ReadAsync(kind, key, cancellationToken), slug))
        {
            return;
        }
        try
        {
            await Table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Gone already, or claimed again meanwhile.
        }
    }

    /// <summary>Whether the stored item has <paramref name="slug"/> as its slug or one it had.</summary>
    private static bool Names(TableEntity? item, string slug) =>
        item is not null && (item.GetString(nameof(Category.Slug)) == slug || Strings(item, nameof(Category.PreviousSlugs)).Contains(slug, StringComparer.Ordinal));

    private async Task<string> WriteAsync(TableEntity entity, string? ifMatch, CancellationToken cancellationToken)
    {
        try
        {
            var response = ifMatch switch
            {
                null => await Table.AddEntityAsync(entity, cancellationToken),
                "*" => await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken),
                _ => await Table.UpdateEntityAsync(entity, new ETag(ifMatch), TableUpdateMode.Replace, cancellationToken),
            };
            return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("Table service returned no ETag.");
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            throw e.Status == 409
                ? new ConflictException($"A {entity.PartitionKey} with the key '{entity.RowKey}' exists already.")
                : new PreconditionFailedException($"The {entity.PartitionKey} '{entity.RowKey}' was changed by someone else since you read it. GET it again, reapply your change and retry with the new ETag.");
        }
        finally
        {
            cache.Invalidate([ReaderTags.Taxonomy]);
        }
    }

    private async Task<TableEntity?> ReadAsync(string partition, string key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 200)
        {
            return null;
        }
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(partition, key, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    private static Category ToCategory(TableEntity e) =>
        new(e.RowKey, e.GetString(nameof(Category.Name)) ?? e.RowKey, e.GetString(nameof(Category.Parent)),
            e.GetInt32(nameof(Category.Order)) ?? 0, e.GetString(nameof(Category.Description)))
        {
            Slug = e.GetString(nameof(Category.Slug)) ?? e.RowKey,
            PreviousSlugs = Strings(e, nameof(Category.PreviousSlugs)),
            Retired = e.GetBoolean(nameof(Category.Retired)) ?? false,
        };

    private static NewsEvent ToEvent(TableEntity e) =>
        new(e.RowKey, e.GetString(nameof(NewsEvent.Name)) ?? e.RowKey, e.GetString(nameof(NewsEvent.Description)), e.GetBoolean(nameof(NewsEvent.InFocus)) ?? false)
        {
            Slug = e.GetString(nameof(NewsEvent.Slug)) ?? e.RowKey,
            PreviousSlugs = Strings(e, nameof(NewsEvent.PreviousSlugs)),
            CoverPhoto = Photo(e, nameof(NewsEvent.CoverPhoto)),
            Retired = e.GetBoolean(nameof(NewsEvent.Retired)) ?? false,
        };

    private static ThemedColumn ToColumn(TableEntity e) =>
        new(e.RowKey, e.GetString(nameof(ThemedColumn.Name)) ?? e.RowKey, e.GetString(nameof(ThemedColumn.Description)),
            e.GetInt32(nameof(ThemedColumn.Order)) ?? 0, e.GetBoolean(nameof(ThemedColumn.Active)) ?? true)
        {
            Slug = e.GetString(nameof(ThemedColumn.Slug)) ?? e.RowKey,
            PreviousSlugs = Strings(e, nameof(ThemedColumn.PreviousSlugs)),
            Banner = Photo(e, nameof(ThemedColumn.Banner)),
        };

    private static PhotoRef? Photo(TableEntity e, string property) =>
        e.GetString(property) is { Length: > 0 } photo ? JsonSerializer.Deserialize<PhotoRef>(photo, NewsroomJson.Stored) : null;

    private static string[] Strings(TableEntity e, string property) =>
        e.GetString(property) is { Length: > 0 } json ? JsonSerializer.Deserialize<string[]>(json, NewsroomJson.Stored) ?? [] : [];
}
