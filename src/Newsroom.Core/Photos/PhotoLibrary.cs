using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Newsroom.Articles;
using Newsroom.Identity;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Reading;
using Newsroom.Storage;

namespace Newsroom.Photos;

/// <summary>A page of the photo library; nextCursor is null on the last page.</summary>
public sealed record PhotoLibraryPage(IReadOnlyList<PhotoRecord> Items, string? NextCursor);

/// <summary>An article that shows a photo, named in a refusal to delete it.</summary>
public sealed record PhotoUser(string Id, string Title, ArticleStatus Status);

/// <summary>
/// The desk's photo library: every photo uploaded, newest first, with who uploaded it, its words and its
/// status; and deleting a photo no published (or scheduled) article shows, which removes its original, its
/// renditions and its records. The articles that show a photo are known from the usage rows the article
/// indexer keeps on the photo.
/// </summary>
public sealed class PhotoLibrary(
    StorageClients storage,
    PhotoStore photos,
    PhotoResolver resolver,
    ArticleStore articles,
    Taxonomy.TaxonomyStore taxonomy,
    IOptions<ReaderOptions> reader,
    IOptions<StorageOptions> storageOptions,
    Edge.EdgePurger edge)
{
    private const string Listing = "photo-library";

    private static string DeskIndexName(ArticleStatus status) => Desk.DeskIndex.Name(status);

    private TimeSpan Deadline => TimeSpan.FromSeconds(storageOptions.Value.WriteDeadlineSeconds);

    public Task<JsonPayload> ListAsync(DeskUser user, string? limit, string? cursor, CancellationToken cancellationToken) =>
        StorageDeadline.RunAsync(Deadline, async token =>
        {
            user.Require(DeskRole.Reporter, "see the photo library");
            var take = string.IsNullOrEmpty(limit) ? reader.Value.DefaultPageSize
                : int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= ReaderOptions.MaxPageSize ? n
                : throw new BadRequestException($"limit must be a whole number from 1 to {ReaderOptions.MaxPageSize}; got '{limit}'.");
            var after = string.IsNullOrEmpty(cursor) ? null : ListingCursor.Decode(cursor, Listing);
            var rows = await photos.LibraryAsync(after, take + 1, token);
            var items = await Task.WhenAll(rows.Take(take).Select(async r => (await photos.GetAsync(r.PhotoId, token))?.Photo));
            var next = rows.Count > take ? ListingCursor.Encode(Listing, rows[take - 1].RowKey) : null;
            return JsonPayload.From(new PhotoLibraryPage([.. items.OfType<PhotoRecord>()], next));
        }, cancellationToken);

    /// <summary>The states in which an article's photos must stay: readers see it, or it is on its way to them.</summary>
    private static readonly ArticleStatus[] Protecting = [ArticleStatus.Submitted, ArticleStatus.Approved, ArticleStatus.Scheduled, ArticleStatus.Published];

    /// <summary>
    /// Deletes a photo no article in review, scheduled or published shows and no event has as its cover (409
    /// naming them otherwise): its record first, so nothing can pick it up any more, then its original and
    /// renditions. Deleting again finishes what an interrupted delete left.
    /// </summary>
    public Task DeleteAsync(DeskUser user, string id, CancellationToken cancellationToken) =>
        StorageDeadline.RunAsync(Deadline, async token =>
        {
            user.Require(DeskRole.Editor, "delete a photo");
            var wellFormed = id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
            if ((wellFormed ? await photos.GetAsync(id, token) : null) is not { } found)
            {
                return wellFormed && await DeleteBlobsAsync(id, token) > 0 ? true : throw new NotFoundException($"No photo has the id '{id}'.");
            }
            var users = new List<PhotoUser>();
            foreach (var articleId in await photos.UsedByAsync(id, token))
            {
                if (await articles.GetAsync(articleId, token) is { } stored
                    && Protecting.Contains(stored.Article.Status)
                    && Publishing.ArticleIndexer.PhotoIds(stored.Article).Contains(id))
                {
                    users.Add(new PhotoUser(stored.Article.Id, stored.Article.Title, stored.Article.Status));
                }
            }
            // A running story's cover is public too.
            var covers = (await taxonomy.GetAsync(token)).Events.Values.Where(e => e.CoverPhoto?.PhotoId == id)
                .Select(e => new { slug = e.Slug, name = e.Name }).ToList();
            if (users.Count > 0 || covers.Count > 0)
            {
                var shownBy = users.Select(u => $"the {DeskIndexName(u.Status)} article '{u.Title}' ({u.Id})").Concat(covers.Select(c => $"the cover of the event '{c.name}' ({c.slug})"));
                throw new ConflictException($"The photo is shown by {string.Join("; ", shownBy)}. Replace it there first.")
                {
                    Members = new Dictionary<string, object?> { ["usedBy"] = users, ["coverOf"] = covers },
                };
            }
            var photo = found.Photo;
            await photos.DeleteAsync(id, token);
            resolver.Forget(id);
            await photos.DeleteLibraryAsync(photo, token);
            await photos.ClearPendingAsync(id, token);
            foreach (var articleId in await photos.UsedByAsync(id, token))
            {
                await photos.DeleteUsageAsync(id, PhotoStore.UsageRowKey(articleId), token);
            }
            await DeleteBlobsAsync(id, token);
            // Renditions are cached for a year under immutable names: a deleted photo must leave the edge too.
            await edge.RequestAsync([Edge.EdgePaths.Renditions(id)], $"photo {id} deleted", CancellationToken.None);
            return true;
        }, cancellationToken);

    /// <summary>Removes the photo's original and renditions; how many there were.</summary>
    private async Task<int> DeleteBlobsAsync(string id, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var container in new[] { StorageNames.RenditionsContainerName, StorageNames.PhotoOriginalsContainerName })
        {
            var blobs = storage.Container(container);
            await foreach (var blob in blobs.GetBlobsAsync(new GetBlobsOptions { Prefix = id + "/" }, cancellationToken))
            {
                await blobs.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
                deleted++;
            }
        }
        return deleted;
    }
}
