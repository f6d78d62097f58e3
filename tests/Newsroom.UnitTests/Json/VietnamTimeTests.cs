using System.Text.Json;
using Newsroom.Json;
using Newsroom.Publishing;

namespace Newsroom.UnitTests.Json;

public sealed class VietnamTimeTests
{
    private sealed record Stamp(DateTimeOffset At, DateTimeOffset? Maybe);

    [Fact]
    public void The_api_writes_every_time_in_vietnam_time_whatever_offset_it_was_made_with()
    {
        var utc = new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero);
        var json = JsonSerializer.Serialize(new Stamp(utc, utc.ToOffset(TimeSpan.FromHours(-5))), NewsroomJson.Options);
        Assert.Equal("""{"at":"2026-12-01T06:30:00+07:00","maybe":"2026-12-01T06:30:00+07:00"}""", json);
    }

    [Fact]
    public void Storage_keeps_utc()
    {
        var vietnam = new DateTimeOffset(2026, 12, 1, 6, 30, 0, TimeSpan.FromHours(7));
        var json = JsonSerializer.Serialize(new Stamp(vietnam, null), NewsroomJson.Stored);
        Assert.Equal("""{"at":"2026-11-30T23:30:00+00:00","maybe":null}""", json);
    }

    [Theory]
    [InlineData("2026-12-01T06:00:00+07:00")]
    [InlineData("2026-11-30T23:00:00Z")]
    [InlineData("2026-11-30T18:00:00-05:00")]
    [InlineData("2026-12-01T06:00:00")]
    public void A_publish_time_means_the_same_instant_with_any_offset_and_vietnam_time_without_one(string publishAt)
    {
        var input = JsonSerializer.Deserialize<PublishInput>($$"""{"publishAt":"{{publishAt}}"}""", NewsroomJson.Options)!;
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero), input.PublishAt);
    }

    [Theory]
    [InlineData("\"mai lúc 6 giờ\"")]
    [InlineData("\"01/12/2026 06:00\"")]
    [InlineData("1764543600")]
    public void A_time_that_is_not_iso_8601_is_refused(string value) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<PublishInput>($$"""{"publishAt":{{value}}}""", NewsroomJson.Options));
}
