using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Newsroom.Articles;
using Newsroom.Listings;
using Newsroom.Reading;

namespace Newsroom.Photos;

/// <summary>
/// Fills photo references with what a front end needs to write srcset without another call: size,
/// placeholder, dominant colour, renditions, and the photo's own caption, credit and alt where the
/// article gives none. Ready photo records never change, so they are kept in memory, and rows that are
/// served later (listing teasers, article pages) keep a ready photo resolved (<see cref="ForStorageAsync(PhotoRef?, CancellationToken)"/>):
/// a reference that carries renditions costs no read, only its URLs are put under today's public base URL.
/// </summary>
public sealed class PhotoResolver(PhotoStore photos, IMemoryCache cache, IOptions<ReaderOptions> options)
{
    private static readonly TimeSpan ReadyLifetime = TimeSpan.FromMinutes(30);

    public async Task<PhotoRef?> ResolveAsync(PhotoRef? reference, CancellationToken cancellationToken)
    {
        if (reference?.Renditions is { } stored)
        {
            return reference with { Renditions = [.. stored.Select(photos.Public)] };
        }
        if (reference is null || await GetAsync(reference.PhotoId, cancellationToken) is not { } photo)
        {
            return reference;
        }
        return reference with
        {
            Caption = reference.Caption ?? photo.Caption,
            Credit = reference.Credit ?? photo.Credit,
            Alt = reference.Alt ?? photo.Alt,
            Width = photo.Width,
            Height = photo.Height,
            Placeholder = photo.Placeholder,
            DominantColor = photo.DominantColor,
            // The renditions that exist: all once ready, the usable set while the larger widths are made.
            Renditions = photo.Status == PhotoStatus.Ready || photo is { Status: PhotoStatus.Processing, Usable: true } ? photo.Renditions : null,
        };
    }

    public async Task<IReadOnlyList<ArticleBlock>> ResolveAsync(IReadOnlyList<ArticleBlock> blocks, CancellationToken cancellationToken) =>
        await Task.WhenAll(blocks.Select(b => b is ImageBlock image ? ResolveAsync(image, cancellationToken) : Task.FromResult(b)));

    public async Task<IReadOnlyList<Teaser>> ResolveAsync(IEnumerable<Teaser> teasers, CancellationToken cancellationToken) =>
        await Task.WhenAll(teasers.Select(async t => t with { LeadPhoto = await ResolveAsync(t.LeadPhoto, cancellationToken) }));

    /// <summary>
    /// The reference to keep in a row served later: resolved when the photo is ready, with its renditions as blob
    /// names; bare otherwise (processing, failed, gone), so that whoever reads the row resolves it then.
    /// </summary>
    public async Task<PhotoRef?> ForStorageAsync(PhotoRef? reference, CancellationToken cancellationToken)
    {
        var resolved = await ResolveAsync(reference?.Bare(), cancellationToken);
        return resolved?.Renditions is { } renditions ? resolved with { Renditions = [.. renditions.Select(photos.Stored)] } : reference?.Bare();
    }

    /// <summary>The article with every photo it shows as <see cref="ForStorageAsync(PhotoRef?, CancellationToken)"/> keeps it.</summary>
    public async Task<Article> ForStorageAsync(Article article, CancellationToken cancellationToken) => article with
    {
        LeadPhoto = await ForStorageAsync(article.LeadPhoto, cancellationToken),
        Blocks = await Task.WhenAll(article.Blocks.Select(async b => b is ImageBlock image
            ? await ForStorageAsync(image, cancellationToken)
            : b)),
    };

    /// <summary>Drops what this instance holds of a photo (it was deleted).</summary>
    public void Forget(string id) => cache.Remove(("photo", id));

    private async Task<ArticleBlock> ResolveAsync(ImageBlock image, CancellationToken cancellationToken) =>
        WithDisplay(image, await ResolveAsync(Reference(image), cancellationToken));

    private async Task<ArticleBlock> ForStorageAsync(ImageBlock image, CancellationToken cancellationToken) =>
        WithDisplay(image, await ForStorageAsync(Reference(image), cancellationToken));

    /// <summary>An image block as the photo reference it is, so that blocks and lead photos resolve alike.</summary>
    private static PhotoRef Reference(ImageBlock image) => new(image.PhotoId, image.Caption, image.Credit, image.Alt)
    {
        Width = image.Width,
        Height = image.Height,
        Placeholder = image.Placeholder,
        DominantColor = image.DominantColor,
        Renditions = image.Renditions,
    };

    private static ImageBlock WithDisplay(ImageBlock image, PhotoRef? resolved) => resolved is null ? image : image with
    {
        Caption = resolved.Caption,
        Credit = resolved.Credit,
        Alt = resolved.Alt,
        Width = resolved.Width,
        Height = resolved.Height,
        Placeholder = resolved.Placeholder,
        DominantColor = resolved.DominantColor,
        Renditions = resolved.Renditions,
    };

    private async Task<PhotoRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var key = ("photo", id);
        if (cache.TryGetValue(key, out PhotoRecord? cached))
        {
            return cached;
        }
        var photo = (await photos.GetAsync(id, cancellationToken))?.Photo;
        if (photo?.Status == PhotoStatus.Ready)
        {
            cache.Set(key, photo, ReadyLifetime);
        }
        else
        {
            cache.SetFor(key, photo, options.Value.CacheSeconds);
        }
        return photo;
    }
}
