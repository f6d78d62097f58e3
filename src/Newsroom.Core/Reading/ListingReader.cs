using Microsoft.Extensions.Options;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Photos;
using Newsroom.Storage;
using Newsroom.Taxonomy;

namespace Newsroom.Reading;

public enum ListingKind
{
    Category,
    Event,
    Column,
}

/// <summary>A section or running story found by slug: its key, its listing, or the slug it moved to.</summary>
public sealed record ListingTarget(string Key, string ListingKey, string? MovedTo);

/// <summary>A listing page, or the slug a renamed section or event now has.</summary>
public sealed record ListingLookup(JsonPayload? Page, string? MovedTo);

/// <summary>Category, event and themed-column listings, newest first, paged by opaque cursors; pages cached briefly.</summary>
public sealed class ListingReader(
    ListingStore listings,
    TaxonomyStore taxonomy,
    PhotoResolver photos,
    ResponseCache cache,
    IOptions<ReaderOptions> options,
    IOptions<StorageOptions> storage,
    TimeProvider time)
{
    /// <summary>
    /// The listing of a section or running story by its public slug, or the slug it now has when
    /// <paramref name="slug"/> is an old one (a renamed section or event: the caller answers 301).
    /// </summary>
    public static ListingTarget Find(TaxonomySnapshot names, ListingKind kind, string slug)
    {
        var (target, noun, collection) = kind switch
        {
            ListingKind.Category => (names.FindCategory(slug), "category", "categories"),
            ListingKind.Event => (names.FindEvent(slug), "event", "events"),
            _ => (names.FindColumn(slug), "column", "columns"),
        };
        if (target is null)
        {
            throw new NotFoundException($"There is no {noun} '{slug}'. GET /api/{collection} lists them.");
        }
        return (kind, target.Moved) switch
        {
            (ListingKind.Category, true) => new(target.Key, "", names.Categories[target.Key].Slug),
            (ListingKind.Event, true) => new(target.Key, "", names.Events[target.Key].Slug),
            (_, true) => new(target.Key, "", names.Columns[target.Key].Slug),
            (ListingKind.Category, false) => new(target.Key, ListingKey.Category(target.Key), null),
            (ListingKind.Event, false) => new(target.Key, ListingKey.Event(target.Key), null),
            _ => new(target.Key, ListingKey.Column(target.Key), null),
        };
    }

    /// <summary>
    /// A page of the listing. <paramref name="limit"/> and <paramref name="cursor"/> are the raw query values;
    /// anything wrong with them is a <see cref="BadRequestException"/> that says what to send instead.
    /// </summary>
    public async Task<ListingLookup> GetPageAsync(ListingKind kind, string slug, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var take = ParseLimit(limit);
        var names = await taxonomy.GetAsync(cancellationToken);
        var (_, listingKey, movedTo) = Find(names, kind, slug);
        return movedTo is not null ? new ListingLookup(null, movedTo) : new ListingLookup(await PageAsync(listingKey, take, cursor, names, cancellationToken), null);
    }

    /// <summary>
    /// A page of the listing partition <paramref name="listingKey"/>, after the cursor (bound to that partition) when
    /// one is given; first pages are cached with the listing's tag.
    /// </summary>
    public async Task<JsonPayload> PageAsync(string listingKey, int take, string? cursor, TaxonomySnapshot names, CancellationToken cancellationToken)
    {
        var after = string.IsNullOrEmpty(cursor) ? null : ListingCursor.Decode(cursor, listingKey);

        async Task<JsonPayload> LoadAsync(CancellationToken token)
        {
            var rows = await listings.ReadAsync(listingKey, time.GetUtcNow(), after, take + 1, token);
            var items = rows.Take(take).ToList();
            var next = rows.Count > take ? ListingCursor.Encode(listingKey, items[^1].RowKey) : null;
            var teasers = await photos.ResolveAsync(items.Select(r => r.Teaser), token);
            return JsonPayload.From(new ListingPage([.. teasers.Select(t => TeaserView.From(t, names))], next));
        }

        // Only first pages are cached: they are the hot ones, and cursors cannot fill the cache.
        return after is null
            ? await cache.GetAsync((listingKey, take), [listingKey, ReaderTags.Taxonomy], p => 256 + p.Body.Length, LoadAsync, cancellationToken)
            : await StorageDeadline.RunAsync(TimeSpan.FromSeconds(storage.Value.ReadDeadlineSeconds), LoadAsync, cancellationToken);
    }

    public async Task<JsonPayload> GetCategoryTreeAsync(CancellationToken cancellationToken)
    {
        var names = await taxonomy.GetAsync(cancellationToken);
        // Rendered once per taxonomy snapshot.
        var tree = _tree;
        if (tree is null || !ReferenceEquals(tree.Value.Names, names))
        {
            tree = (names, JsonPayload.From(names.Tree()));
            _tree = tree;
        }
        return tree.Value.Payload;
    }

    private (TaxonomySnapshot Names, JsonPayload Payload)? _tree;

    private int ParseLimit(string? limit) => ParseLimit(limit, options.Value);

    /// <summary>A year filter from the query (signed, issued): null when absent; 400 saying the range otherwise.</summary>
    public static int? ParseYear(string? year)
    {
        if (string.IsNullOrEmpty(year))
        {
            return null;
        }
        return int.TryParse(year, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 1945 and <= 2100
            ? value
            : throw new BadRequestException($"year must be a year from 1945 to 2100, e.g. 2026; got '{year}'.");
    }

    /// <summary>A page size from the query: the default when absent; 400 saying the range otherwise.</summary>
    public static int ParseLimit(string? limit, ReaderOptions options)
    {
        if (string.IsNullOrEmpty(limit))
        {
            return options.DefaultPageSize;
        }
        if (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || value is < 1 or > ReaderOptions.MaxPageSize)
        {
            throw new BadRequestException($"limit must be a whole number from 1 to {ReaderOptions.MaxPageSize}; got '{limit}'.");
        }
        return value;
    }
}
