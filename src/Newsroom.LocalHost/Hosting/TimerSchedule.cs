using System.Globalization;
using NCrontab;

namespace Newsroom.LocalHost.Hosting;

/// <summary>
/// A timer trigger's schedule as the Functions host reads it: a six-field NCRONTAB expression
/// ("{second} {minute} {hour} {day} {month} {day-of-week}", UTC) or a TimeSpan interval ("00:01:00"),
/// with %Setting% names resolved from configuration.
/// </summary>
public sealed class TimerSchedule
{
    private readonly CrontabSchedule? _cron;
    private readonly TimeSpan _interval;

    private TimerSchedule(string expression, CrontabSchedule? cron, TimeSpan interval)
    {
        Expression = expression;
        _cron = cron;
        _interval = interval;
    }

    public string Expression { get; }

    public static TimerSchedule Parse(string schedule, IConfiguration configuration)
    {
        var expression = AppSettingReference.Resolve(schedule, configuration, "Timer schedule");
        if (TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out var interval) && !expression.Contains(' ', StringComparison.Ordinal))
        {
            return interval > TimeSpan.Zero
                ? new TimerSchedule(expression, null, interval)
                : throw new FormatException($"Timer interval '{expression}' must be positive.");
        }
        var cron = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true })
            ?? throw new FormatException($"Timer schedule '{expression}' is neither a six-field NCRONTAB expression nor a TimeSpan.");
        return new TimerSchedule(expression, cron, TimeSpan.Zero);
    }

    /// <summary>
    /// The occurrence a run that woke at <paramref name="woke"/> for <paramref name="due"/> stands for: never before
    /// <paramref name="due"/> (a timer may wake a little early), so the next occurrence is computed after it and an
    /// occurrence is never run twice.
    /// </summary>
    public static DateTimeOffset Occurrence(DateTimeOffset due, DateTimeOffset woke) => woke > due ? woke : due;

    public DateTimeOffset Next(DateTimeOffset after) => _cron is null
        ? after + _interval
        : new DateTimeOffset(_cron.GetNextOccurrence(after.UtcDateTime), TimeSpan.Zero);
}
