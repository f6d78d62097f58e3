using Newsroom.Listings;
using Newsroom.Reading;
using Newsroom.Taxonomy;

namespace Newsroom.Homepage;

/// <summary>
/// Lays out the homepage from listing heads, a pure function: pinned top stories first in the editors'
/// order, then the newest to fill; latest; one section per top-level category; events (those editors put
/// in focus first, then the most recently active); featured videos; the active themed columns; the editors' links. No article appears twice across top stories, latest and
/// sections, and dedup never removes a pinned item.
/// </summary>
public static class HomepageAssembler
{
    public static HomepageSnapshot Assemble(HomepageInputs inputs, TaxonomySnapshot names, HomepageOptions options, long version, DateTimeOffset generatedAt)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        TeaserView View(Teaser t) => TeaserView.From(t, names);
        List<Teaser> Take(IEnumerable<Teaser> source, int count) => [.. source.Where(t => used.Add(t.Id)).Take(count)];

        var pinned = Take(inputs.PinnedTopStories, int.MaxValue);
        var top = pinned.Concat(Take(inputs.Newest, Math.Max(0, options.TopStories - pinned.Count))).ToList();
        var latest = Take(inputs.Newest, options.Latest);
        var sections = inputs.Sections
            .Select(s => new HomepageSection(ReaderViews.Category(s.Category, names), [.. Take(s.Head, options.SectionSize).Select(View)]))
            .Where(s => s.Items.Count > 0)
            .ToList();
        var events = inputs.Events
            .Where(e => e.Head.Count > 0)
            .OrderByDescending(e => names.Events.TryGetValue(e.Event, out var ev) && ev.InFocus)
            .ThenByDescending(e => e.Head[0].PublishedAt)
            .Take(options.EventsInFocus)
            .Select(e => new HomepageEvent(ReaderViews.Event(e.Event, names), [.. e.Head.Take(options.EventItems).Select(View)]))
            .ToList();
        var videos = inputs.PinnedVideos.Concat(inputs.NewestVideos)
            .DistinctBy(t => t.Id)
            .Take(Math.Max(options.FeaturedVideos, inputs.PinnedVideos.Count))
            .Select(View)
            .ToList();

        return new HomepageSnapshot(version, generatedAt, [.. top.Select(View)], [.. latest.Select(View)], sections, events, videos)
        {
            Links = inputs.Links,
            Columns = inputs.Columns,
            PrintIssues = inputs.PrintIssues,
        };
    }
}
