using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Photos;
using Newsroom.Taxonomy;

namespace Newsroom.Reading;

public enum ListingKind
{
    Category,
    Event,
}

/// <summary>Category and event listings, newest first, paged by opaque cursors; pages cached briefly.</summary>
public sealed class ListingReader(
    ListingStore listings,
    TaxonomyStore taxonomy,
    PhotoResolver photos,
    IMemoryCache cache,
    IOptions<ReaderOptions> options,
    TimeProvider time)
{
    /// <summary>
    /// A page of the listing. <paramref name="limit"/> and <paramref name="cursor"/> are the raw query values;
    /// anything wrong with them is a <see cref="BadRequestException"/> that says what to send instead.
    /// </summary>
    public async Task<JsonPayload> GetPageAsync(ListingKind kind, string slug, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var take = ParseLimit(limit);
        var names = await taxonomy.GetAsync(cancellationToken);
        var listingKey = kind switch
        {
            ListingKind.Category when names.Categories.ContainsKey(slug) => ListingKey.Category(slug),
            ListingKind.Event when names.Events.ContainsKey(slug) => ListingKey.Event(slug),
            ListingKind.Category => throw new NotFoundException($"There is no category '{slug}'. GET /api/categories lists them."),
            _ => throw new NotFoundException($"There is no event '{slug}'."),
        };
        var after = string.IsNullOrEmpty(cursor) ? null : ListingCursor.Decode(cursor, listingKey);

        // Only first pages are cached: they are the hot ones, and cursors cannot fill the cache.
        return await cache.GetOrLoadAsync((listingKey, after, take), after is null ? options.Value.CacheSeconds : 0, async () =>
        {
            var rows = await listings.ReadAsync(listingKey, time.GetUtcNow(), after, take + 1, CancellationToken.None);
            var items = rows.Take(take).ToList();
            var next = rows.Count > take ? ListingCursor.Encode(listingKey, items[^1].RowKey) : null;
            var teasers = await photos.ResolveAsync(items.Select(r => r.Teaser), CancellationToken.None);
            return JsonPayload.From(new ListingPage([.. teasers.Select(t => TeaserView.From(t, names))], next));
        }).WaitAsync(cancellationToken);
    }

    public async Task<JsonPayload> GetCategoryTreeAsync(CancellationToken cancellationToken)
    {
        var names = await taxonomy.GetAsync(cancellationToken);
        // Keyed by the snapshot itself: a new taxonomy snapshot renders anew.
        if (cache.TryGetValue(names, out JsonPayload? tree) && tree is not null)
        {
            return tree;
        }
        tree = JsonPayload.From(names.Tree());
        cache.SetFor(names, tree, options.Value.CacheSeconds);
        return tree;
    }

    private int ParseLimit(string? limit)
    {
        if (string.IsNullOrEmpty(limit))
        {
            return options.Value.DefaultPageSize;
        }
        if (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || value is < 1 or > ReaderOptions.MaxPageSize)
        {
            throw new BadRequestException($"limit must be a whole number from 1 to {ReaderOptions.MaxPageSize}; got '{limit}'.");
        }
        return value;
    }
}
