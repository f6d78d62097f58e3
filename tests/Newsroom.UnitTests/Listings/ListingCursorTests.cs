using System.Buffers.Text;
using Newsroom.Listings;

namespace Newsroom.UnitTests.Listings;

public sealed class ListingCursorTests
{
    private const string Listing = "category:thoi-su";
    private const string RowKey = "2519999999999999999_demo-000001";

    [Fact]
    public void A_cursor_round_trips_to_the_row_key_it_was_made_from() =>
        Assert.Equal(RowKey, ListingCursor.Decode(ListingCursor.Encode(Listing, RowKey), Listing));

    [Fact]
    public void A_cursor_is_opaque_url_safe_text()
    {
        var cursor = ListingCursor.Encode(Listing, RowKey);
        Assert.DoesNotContain("thoi-su", cursor, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_-]+$", cursor);
    }

    [Fact]
    public void A_cursor_with_any_byte_changed_is_refused()
    {
        var token = Base64Url.DecodeFromChars(ListingCursor.Encode(Listing, RowKey));
        for (var i = 0; i < token.Length; i++)
        {
            var tampered = (byte[])token.Clone();
            tampered[i] ^= 0x01;
            var e = Assert.Throws<BadRequestException>(() => ListingCursor.Decode(Base64Url.EncodeToString(tampered), Listing));
            Assert.Contains("cursor", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_cursor_of_another_listing_is_refused()
    {
        var e = Assert.Throws<BadRequestException>(() => ListingCursor.Decode(ListingCursor.Encode("event:chuyen-doi-so", RowKey), Listing));
        Assert.Contains("another listing", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("!!!")]
    [InlineData("a")]
    [InlineData("AQ")]
    public void Garbage_is_refused_with_advice(string cursor)
    {
        var e = Assert.Throws<BadRequestException>(() => ListingCursor.Decode(cursor, Listing));
        Assert.Contains("nextCursor", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_overlong_cursor_is_refused_before_decoding() =>
        Assert.Throws<BadRequestException>(() => ListingCursor.Decode(new string('A', 5000), Listing));
}
