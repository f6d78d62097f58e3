using Newsroom.Homepage;
using Newsroom.Listings;
using Newsroom.Taxonomy;

namespace Newsroom.UnitTests.Homepage;

public sealed class HomepageAssemblerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
    private static readonly TaxonomySnapshot Names = new([new Category("thoi-su", "Thời sự"), new Category("kinh-te", "Kinh tế")], [new NewsEvent("lu", "Mùa lũ"), new NewsEvent("so", "Chuyển đổi số")]);
    private static readonly HomepageOptions Options = new() { TopStories = 3, Latest = 3, SectionSize = 2, EventsInFocus = 1, EventItems = 2, FeaturedVideos = 2 };

    private static Teaser T(string id, int minutesAgo, string category = "thoi-su") =>
        new(id, id, "Tin " + id, "", Now.AddMinutes(-minutesAgo), category, null);

    private static List<Teaser> Newest(int count) => [.. Enumerable.Range(0, count).Select(i => T("n" + i, i))];

    [Fact]
    public void Pinned_items_lead_in_order_and_the_newest_fill_the_rest()
    {
        var page = HomepageAssembler.Assemble(new([T("n5", 5), T("old", 999)], Newest(10), [], [], [], []), Names, Options, 7, Now);
        Assert.Equal(["n5", "old", "n0"], page.TopStories.Select(t => t.Id));
        Assert.Equal(["n1", "n2", "n3"], page.Latest.Select(t => t.Id));
        Assert.Equal(7, page.Version);
    }

    [Fact]
    public void More_pins_than_slots_are_all_kept()
    {
        var pins = Enumerable.Range(0, 5).Select(i => T("p" + i, 100 + i)).ToList();
        var page = HomepageAssembler.Assemble(new(pins, Newest(5), [], [], [], []), Names, Options, 1, Now);
        Assert.Equal(5, page.TopStories.Count);
        Assert.Equal(["n0", "n1", "n2"], page.Latest.Select(t => t.Id));
    }

    [Fact]
    public void Sections_skip_what_is_already_on_the_page_and_empty_sections_are_left_out()
    {
        var sections = new List<(string, IReadOnlyList<Teaser>)>
        {
            ("thoi-su", [T("n0", 0), T("n4", 4), T("s1", 50), T("s2", 60)]),
            ("kinh-te", []),
        };
        var page = HomepageAssembler.Assemble(new([], Newest(6), sections, [], [], []), Names, Options, 1, Now);
        var section = Assert.Single(page.Sections);
        Assert.Equal("Thời sự", section.Category.Name);
        Assert.Equal(["s1", "s2"], section.Items.Select(t => t.Id));
    }

    [Fact]
    public void The_most_recently_active_events_are_in_focus()
    {
        var events = new List<(string, IReadOnlyList<Teaser>)> { ("lu", [T("a", 30)]), ("so", [T("b", 5), T("c", 40), T("d", 50)]) };
        var page = HomepageAssembler.Assemble(new([], [], [], events, [], []), Names, Options, 1, Now);
        var focus = Assert.Single(page.Events);
        Assert.Equal("Chuyển đổi số", focus.Event.Name);
        Assert.Equal(["b", "c"], focus.Items.Select(t => t.Id));
    }

    [Fact]
    public void Featured_videos_are_pinned_first_then_newest_without_repeats()
    {
        var page = HomepageAssembler.Assemble(new([], [], [], [], [T("v9", 90)], [T("v1", 1), T("v9", 90), T("v2", 2)]), Names, Options, 1, Now);
        Assert.Equal(["v9", "v1"], page.FeaturedVideos.Select(t => t.Id));
    }
}
