using Newsroom.Listings;

namespace Newsroom.UnitTests.Listings;

public sealed class ListingKeyTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 29, 12, 0, 0, TimeSpan.FromHours(7));

    [Fact]
    public void Newer_articles_have_smaller_row_keys_so_a_range_scan_reads_newest_first()
    {
        var older = ListingKey.RowKey(Noon, "b");
        var newer = ListingKey.RowKey(Noon.AddSeconds(1), "a");
        Assert.True(string.CompareOrdinal(newer, older) < 0);
    }

    [Fact]
    public void Row_keys_are_fixed_width_so_ordinal_order_is_time_order()
    {
        Assert.Equal(ListingKey.RowKey(DateTimeOffset.UnixEpoch, "x").Length, ListingKey.RowKey(Noon, "x").Length);
    }

    [Fact]
    public void Visible_from_now_includes_the_past_and_excludes_the_future()
    {
        var from = ListingKey.VisibleFrom(Noon);
        Assert.True(string.CompareOrdinal(ListingKey.RowKey(Noon.AddMinutes(-1), "a"), from) >= 0);
        Assert.True(string.CompareOrdinal(ListingKey.RowKey(Noon, "a"), from) >= 0);
        Assert.True(string.CompareOrdinal(ListingKey.RowKey(Noon.AddTicks(1), "a"), from) < 0);
    }

    [Fact]
    public void Offsets_do_not_change_the_order_only_the_instant_does()
    {
        var vietnam = ListingKey.RowKey(Noon, "a");
        var utc = ListingKey.RowKey(Noon.ToUniversalTime(), "a");
        Assert.Equal(vietnam, utc);
    }
}
