using Microsoft.Extensions.Options;
using Newsroom.Articles;
using Newsroom.Identity;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Photos;
using Newsroom.Publishing;
using Newsroom.Storage;
using Newsroom.Text;

namespace Newsroom.Taxonomy;

/// <summary>What an admin sends to create or change a section.</summary>
public sealed record CategoryInput(string? Name, string? Parent = null, int? Order = null, string? Description = null, bool? Retired = null);

/// <summary>What an admin sends to create or change a running story.</summary>
public sealed record EventInput(string? Name, string? Description = null, PhotoRef? CoverPhoto = null, bool? InFocus = null, bool? Retired = null);

/// <summary>What an admin sends to create or change a themed column.</summary>
public sealed record ColumnInput(string? Name, string? Description = null, PhotoRef? Banner = null, int? Order = null, bool? Active = null);

/// <summary>A themed column as the API shows it (its banner with renditions).</summary>
public sealed record ColumnView(string Slug, string Name, string? Description, PhotoRef? Banner, int Order, bool Active, IReadOnlyList<string> PreviousSlugs);

/// <summary>A section as the API shows it: its public slug, its parent's, and the slugs it had.</summary>
public sealed record CategoryView(string Slug, string Name, string? Parent, int Order, string? Description, bool Retired, IReadOnlyList<string> PreviousSlugs);

/// <summary>A running story as the API shows it.</summary>
public sealed record EventView(string Slug, string Name, string? Description, PhotoRef? CoverPhoto, bool InFocus, bool Retired, IReadOnlyList<string> PreviousSlugs);

/// <summary>A section or event read or written, with its ETag; or the slug it now has when an old one was asked for.</summary>
public sealed record TaxonResult(JsonPayload? Payload, string? ETag, string? MovedTo, string Slug);

/// <summary>
/// Admins manage the paper's sections (a tree), running stories and themed columns: create, rename (the slug
/// follows the name by the Vietnamese slug rule; the old one keeps answering with a redirect), reorder, move under
/// another parent, retire (a retired section leaves the tree and the choices for new articles, its articles stay
/// readable), for events the description, cover photo and homepage focus, and for columns the description, banner,
/// order and active flag. Every change is conditional on the ETag read (If-Match).
/// </summary>
public sealed class TaxonomyEditor(TaxonomyStore store, ListingStore listings, PhotoStore photos, PhotoResolver resolver, IOptions<StorageOptions> storage)
{
    private TimeSpan Deadline => TimeSpan.FromSeconds(storage.Value.WriteDeadlineSeconds);

    public Task<TaxonResult> GetCategoryAsync(string slug, CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
    {
        var names = await store.GetAsync(token);
        var target = names.FindCategory(slug) ?? throw new NotFoundException($"There is no category '{slug}'. GET /api/categories lists them.");
        var stored = await store.GetCategoryAsync(target.Key, token) ?? throw new NotFoundException($"There is no category '{slug}'.");
        return target.Moved ? new TaxonResult(null, null, stored.Item.Slug, slug) : Result(stored.Item, stored.ETag, names);
    }, cancellationToken);

    public Task<TaxonResult> CreateCategoryAsync(DeskUser user, CategoryInput input, CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
    {
        user.Require(DeskRole.Admin, "create a section");
        var names = await store.GetAsync(token);
        var (name, parent) = Check(input, names, self: null);
        var key = await store.ClaimCategorySlugAsync(VietnameseText.Slugify(name) is { Length: > 0 } s ? s : "chuyen-muc", key: null, token);
        var category = new Category(key, name, parent, input.Order ?? 0, Clean(input.Description)) { Retired = input.Retired ?? false };
        var etag = await SavingAsync(() => store.SaveAsync(category, ifMatch: null, token), () => store.ReleaseCategorySlugAsync(key, key, CancellationToken.None));
        return Result(category, etag, await store.GetAsync(token));
    }, cancellationToken);

    public Task<TaxonResult> UpdateCategoryAsync(DeskUser user, string slug, CategoryInput input, string? ifMatch, CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
    {
        user.Require(DeskRole.Admin, "change a section");
        var names = await store.GetAsync(token);
        var current = await LoadForUpdateAsync("category", "categories", slug, ifMatch, names.FindCategory, store.GetCategoryAsync, token);
        var (name, parent) = Check(input, names, current.Item);
        if (parent != current.Item.Parent && (await listings.ReadAsync(ListingKey.Category(current.Item.Key), DateTimeOffset.MaxValue, null, 1, token)).Count > 0)
        {
            // Its articles are listed in its parent sections too: moving it would leave them listed where it was.
            throw new ConflictException(
                $"The section '{slug}' has articles, so it cannot move to another parent: they are listed under its current parent sections. Create the section where it should be, file new articles there and retire this one.");
        }
        var (next, etag) = await SaveChangeAsync(current, name, store.ClaimCategorySlugAsync, store.ReleaseCategorySlugAsync, store.SaveAsync,
            (item, newSlug, previous) => item with
            {
                Name = name,
                Parent = parent,
                Order = input.Order ?? item.Order,
                Description = input.Description is null ? item.Description : Clean(input.Description),
                Retired = input.Retired ?? item.Retired,
                Slug = newSlug,
                PreviousSlugs = previous,
            }, token);
        return Result(next, etag, await store.GetAsync(token));
    }, cancellationToken);

    public Task<JsonPayload> ListEventsAsync(CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
    {
        var names = await store.GetAsync(token);
        var events = await Task.WhenAll(names.Events.Values.Where(e => !e.Retired)
            .OrderByDescending(e => e.InFocus).ThenBy(e => e.Name, StringComparer.Ordinal)
            .Select(async e => await ViewAsync(e, token)));
        return JsonPayload.From(events);
    }, cancellationToken);

    public Task<TaxonResult> GetEventAsync(string slug, CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
    {
        var names = await store.GetAsync(token);
        var target = names.FindEvent(slug) ?? throw new NotFoundException($"There is no event '{slug}'. GET /api/events lists them.");
        var stored = await store.GetEventAsync(target.Key, token) ?? throw new NotFoundException($"There is no event '{slug}'.");
        return target.Moved ? new TaxonResult(null, null, stored.Item.Slug, slug) : await EventResultAsync(stored.Item, stored.ETag, token);
    }, cancellationToken);

    public Task<TaxonResult> CreateEventAsync(DeskUser user, EventInput input, CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
    {
        user.Require(DeskRole.Admin, "create an event");
        var name = await CheckAsync(input, token);
        var wanted = VietnameseText.Slugify(name) is { Length: > 0 } s ? s : "su-kien";
        var key = await store.ClaimEventSlugAsync(wanted, key: null, token);
        var newsEvent = new NewsEvent(key, name, Clean(input.Description), input.InFocus ?? false)
        {
            CoverPhoto = input.CoverPhoto?.Bare(),
            Retired = input.Retired ?? false,
        };
        var etag = await SavingAsync(() => store.SaveAsync(newsEvent, ifMatch: null, token), () => store.ReleaseEventSlugAsync(key, key, CancellationToken.None));
        return await EventResultAsync(newsEvent, etag, token);
    }, cancellationToken);

    public Task<TaxonResult> UpdateEventAsync(DeskUser user, string slug, EventInput input, string? ifMatch, CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
    {
        user.Require(DeskRole.Admin, "change an event");
        var names = await store.GetAsync(token);
        var current = await LoadForUpdateAsync("event", "events", slug, ifMatch, names.FindEvent, store.GetEventAsync, token);
        var name = await CheckAsync(input, token);
        var (next, etag) = await SaveChangeAsync(current, name, store.ClaimEventSlugAsync, store.ReleaseEventSlugAsync, store.SaveAsync,
            (item, newSlug, previous) => item with
            {
                Name = name,
                Description = input.Description is null ? item.Description : Clean(input.Description),
                CoverPhoto = input.CoverPhoto is null ? item.CoverPhoto : input.CoverPhoto.Bare(),
                InFocus = input.InFocus ?? item.InFocus,
                Retired = input.Retired ?? item.Retired,
                Slug = newSlug,
                PreviousSlugs = previous,
            }, token);
        return await EventResultAsync(next, etag, token);
    }, cancellationToken);

    /// <summary>The active themed columns in editor order, as readers see them.</summary>
    public Task<JsonPayload> ListColumnsAsync(CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
        JsonPayload.From(await Task.WhenAll((await store.GetAsync(token)).ActiveColumns().Select(c => ColumnViewAsync(c, token)))), cancellationToken);

    public Task<TaxonResult> GetColumnAsync(string slug, CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
    {
        var names = await store.GetAsync(token);
        var target = names.FindColumn(slug) ?? throw new NotFoundException($"There is no column '{slug}'. GET /api/columns lists them.");
        var stored = await store.GetColumnAsync(target.Key, token) ?? throw new NotFoundException($"There is no column '{slug}'.");
        return target.Moved ? new TaxonResult(null, null, stored.Item.Slug, slug) : await ColumnResultAsync(stored.Item, stored.ETag, token);
    }, cancellationToken);

    public Task<TaxonResult> CreateColumnAsync(DeskUser user, ColumnInput input, CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
    {
        user.Require(DeskRole.Admin, "create a column");
        var name = await CheckAsync(input, token);
        var key = await store.ClaimColumnSlugAsync(VietnameseText.Slugify(name) is { Length: > 0 } s ? s : "chuyen-de", key: null, token);
        var column = new ThemedColumn(key, name, Clean(input.Description), input.Order ?? 0, input.Active ?? true) { Banner = input.Banner?.Bare() };
        var etag = await SavingAsync(() => store.SaveAsync(column, ifMatch: null, token), () => store.ReleaseColumnSlugAsync(key, key, CancellationToken.None));
        return await ColumnResultAsync(column, etag, token);
    }, cancellationToken);

    public Task<TaxonResult> UpdateColumnAsync(DeskUser user, string slug, ColumnInput input, string? ifMatch, CancellationToken cancellationToken) => StorageDeadline.RunAsync(Deadline, async token =>
    {
        user.Require(DeskRole.Admin, "change a column");
        var names = await store.GetAsync(token);
        var current = await LoadForUpdateAsync("column", "columns", slug, ifMatch, names.FindColumn, store.GetColumnAsync, token);
        var name = await CheckAsync(input, token);
        var (next, etag) = await SaveChangeAsync(current, name, store.ClaimColumnSlugAsync, store.ReleaseColumnSlugAsync, store.SaveAsync,
            (item, newSlug, previous) => item with
            {
                Name = name,
                Description = input.Description is null ? item.Description : Clean(input.Description),
                Banner = input.Banner is null ? item.Banner : input.Banner.Bare(),
                Order = input.Order ?? item.Order,
                Active = input.Active ?? item.Active,
                Slug = newSlug,
                PreviousSlugs = previous,
            }, token);
        return await ColumnResultAsync(next, etag, token);
    }, cancellationToken);

    private Task<string> CheckAsync(ColumnInput input, CancellationToken cancellationToken) =>
        CheckAsync("column", input.Name, input.Description, ("banner", input.Banner), input.Order, cancellationToken);

    private async Task<ColumnView> ColumnViewAsync(ThemedColumn c, CancellationToken cancellationToken) =>
        new(c.Slug, c.Name, c.Description, await resolver.ResolveAsync(c.Banner, cancellationToken), c.Order, c.Active, c.PreviousSlugs);

    private async Task<TaxonResult> ColumnResultAsync(ThemedColumn c, string etag, CancellationToken cancellationToken) =>
        new(JsonPayload.From(await ColumnViewAsync(c, cancellationToken)), ArticleETag.ToHttp(etag), null, c.Slug);

    /// <summary>Saves; when the write is refused (someone changed it meanwhile), gives back the slug claimed for it.</summary>
    private static async Task<string> SavingAsync(Func<Task<string>> save, Func<Task> release)
    {
        try
        {
            return await save();
        }
        catch (Exception e) when (e is PreconditionFailedException or ConflictException)
        {
            await release();
            throw;
        }
    }

    /// <summary>
    /// The change of a section, event or column saved with the ETag it was read with: its new name gets its own slug
    /// (<see cref="RenameAsync"/>), <paramref name="change"/> makes the next version with it, and a refused save gives
    /// back the slug claimed for it.
    /// </summary>
    private static async Task<(T Next, string ETag)> SaveChangeAsync<T>(StoredTaxon<T> current, string name,
        Func<string, string?, CancellationToken, Task<string>> claim, Func<string, string, CancellationToken, Task> release,
        Func<T, string?, CancellationToken, Task<string>> save, Func<T, string, IReadOnlyList<string>, T> change, CancellationToken cancellationToken)
        where T : ITaxon
    {
        var item = current.Item;
        var (slug, previous) = await RenameAsync(item.Slug, item.PreviousSlugs, name, wanted => claim(wanted, item.Key, cancellationToken));
        var next = change(item, slug, previous);
        var etag = await SavingAsync(() => save(next, current.ETag, cancellationToken),
            () => slug == item.Slug ? Task.CompletedTask : release(slug, next.Key, CancellationToken.None));
        return (next, etag);
    }

    /// <summary>A new name gets its own slug; the old one joins the previous slugs and keeps redirecting.</summary>
    private static async Task<(string Slug, IReadOnlyList<string> Previous)> RenameAsync(string current, IReadOnlyList<string> previous, string name, Func<string, Task<string>> claim)
    {
        var wanted = VietnameseText.Slugify(name);
        if (wanted.Length == 0 || wanted == current || (current.StartsWith(wanted + "-", StringComparison.Ordinal) && current[(wanted.Length + 1)..].All(char.IsAsciiDigit)))
        {
            return (current, previous);
        }
        var slug = await claim(wanted);
        return (slug, [.. previous.Append(current).Where(s => s != slug).Distinct(StringComparer.Ordinal)]);
    }

    private static (string Name, string? ParentKey) Check(CategoryInput input, TaxonomySnapshot names, Category? self)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = Clean(input.Name);
        if (name is null || name.Length > 120)
        {
            errors["name"] = ["A name of 1 to 120 characters is required."];
        }
        if (input.Description is { Length: > 600 })
        {
            errors["description"] = ["At most 600 characters."];
        }
        if (input.Order is < 0 or > 1000)
        {
            errors["order"] = ["A whole number from 0 to 1000."];
        }
        string? parentKey = null;
        if (!string.IsNullOrEmpty(input.Parent))
        {
            if (names.FindCategory(input.Parent) is not { } parent)
            {
                errors["parent"] = [$"There is no category '{input.Parent}'."];
            }
            else if (self is not null && names.SelfAndAncestors(parent.Key).Any(c => c.Key == self.Key))
            {
                errors["parent"] = ["A section cannot sit under itself or one of its own sub-sections."];
            }
            else
            {
                parentKey = parent.Key;
            }
        }
        if (errors.Count > 0)
        {
            throw new ValidationException("The section has problems; see errors for each field.") { Errors = errors };
        }
        return (name!, parentKey);
    }

    private Task<string> CheckAsync(EventInput input, CancellationToken cancellationToken) =>
        CheckAsync("event", input.Name, input.Description, ("coverPhoto", input.CoverPhoto), null, cancellationToken);

    /// <summary>A name (1 to 200 characters), a description (at most 2000), a photo that exists, an order from 0 to 1000; 422 naming each bad field.</summary>
    private async Task<string> CheckAsync(string kind, string? rawName, string? description, (string Field, PhotoRef? Ref) photo, int? order, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = Clean(rawName);
        if (name is null || name.Length > 200)
        {
            errors["name"] = ["A name of 1 to 200 characters is required."];
        }
        if (description is { Length: > 2000 })
        {
            errors["description"] = ["At most 2000 characters."];
        }
        if (photo.Ref is { } cover && (string.IsNullOrEmpty(cover.PhotoId) || !await photos.ExistsAsync(cover.PhotoId, cancellationToken)))
        {
            errors[photo.Field + ".photoId"] = [$"There is no photo '{cover.PhotoId}'; upload it with POST /api/photos first."];
        }
        if (order is < 0 or > 1000)
        {
            errors["order"] = ["A whole number from 0 to 1000."];
        }
        if (errors.Count > 0)
        {
            throw new ValidationException($"The {kind} has problems; see errors for each field.") { Errors = errors };
        }
        return name!;
    }

    /// <summary>The item a PUT changes, found by any slug it has had; If-Match required (428) and current (412).</summary>
    private static async Task<StoredTaxon<T>> LoadForUpdateAsync<T>(string kind, string collection, string slug, string? ifMatch,
        Func<string, SlugTarget?> find, Func<string, CancellationToken, Task<StoredTaxon<T>?>> get, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            throw new PreconditionRequiredException(
                $"Changing a {kind} needs an If-Match header with the ETag from GET /api/{collection}/{slug}, so that you do not overwrite someone else's change.");
        }
        var target = find(slug) ?? throw new NotFoundException($"There is no {kind} '{slug}'.");
        var current = await get(target.Key, cancellationToken) ?? throw new NotFoundException($"There is no {kind} '{slug}'.");
        if (ifMatch != "*" && ArticleETag.ToStore(ifMatch) != current.ETag)
        {
            throw new PreconditionFailedException(
                $"The {kind} '{slug}' was changed by someone else since you read it. GET it again, reapply your change and retry with the new ETag.");
        }
        return current;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static TaxonResult Result(Category category, string etag, TaxonomySnapshot names)
    {
        var parent = category.Parent is { } key && names.Categories.TryGetValue(key, out var p) ? p.Slug : category.Parent;
        var view = new CategoryView(category.Slug, category.Name, parent, category.Order, category.Description, category.Retired, category.PreviousSlugs);
        return new TaxonResult(JsonPayload.From(view), ArticleETag.ToHttp(etag), null, category.Slug);
    }

    private async Task<EventView> ViewAsync(NewsEvent e, CancellationToken cancellationToken) =>
        new(e.Slug, e.Name, e.Description, await resolver.ResolveAsync(e.CoverPhoto, cancellationToken), e.InFocus, e.Retired, e.PreviousSlugs);

    private async Task<TaxonResult> EventResultAsync(NewsEvent e, string etag, CancellationToken cancellationToken) =>
        new(JsonPayload.From(await ViewAsync(e, cancellationToken)), ArticleETag.ToHttp(etag), null, e.Slug);
}
