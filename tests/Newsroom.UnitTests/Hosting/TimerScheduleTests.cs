using Microsoft.Extensions.Configuration;
using Newsroom.LocalHost.Hosting;

namespace Newsroom.UnitTests.Hosting;

public sealed class TimerScheduleTests
{
    private static readonly IConfiguration Settings = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["EveryMinute"] = "0 */1 * * * *" })
        .Build();

    private static readonly DateTimeOffset At = new(2026, 11, 29, 10, 20, 30, TimeSpan.Zero);

    [Fact]
    public void A_six_field_expression_counts_seconds() =>
        Assert.Equal(At.AddSeconds(5), TimerSchedule.Parse("*/5 * * * * *", Settings).Next(At.AddSeconds(1)));

    [Fact]
    public void A_setting_name_in_percent_signs_is_resolved_from_configuration() =>
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 10, 21, 0, TimeSpan.Zero), TimerSchedule.Parse("%EveryMinute%", Settings).Next(At));

    [Fact]
    public void A_timespan_is_an_interval() =>
        Assert.Equal(At.AddMinutes(5), TimerSchedule.Parse("00:05:00", Settings).Next(At));

    [Theory]
    [InlineData("%Missing%")]
    [InlineData("every minute")]
    [InlineData("* * * * *")]
    public void An_unusable_schedule_fails_at_start_with_a_reason(string schedule) =>
        Assert.ThrowsAny<Exception>(() => TimerSchedule.Parse(schedule, Settings));

    [Fact]
    public void A_timer_that_wakes_a_little_early_runs_its_occurrence_once()
    {
        var schedule = TimerSchedule.Parse("%EveryMinute%", Settings);
        var due = schedule.Next(At);
        var ran = TimerSchedule.Occurrence(due, woke: due.AddMilliseconds(-2));
        Assert.Equal(due, ran);
        Assert.Equal(due.AddMinutes(1), schedule.Next(ran));
        // Late is late: the run stands for when it happened.
        Assert.Equal(due.AddSeconds(3), TimerSchedule.Occurrence(due, due.AddSeconds(3)));
    }
}
