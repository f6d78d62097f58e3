using Microsoft.Azure.Functions.Worker;

namespace Newsroom.LocalHost.Hosting;

/// <summary>Runs each timer-triggered function on its schedule, like the Functions host's timer listener.</summary>
public sealed class TimerTriggerService(
    IEnumerable<FunctionInvoker> functions,
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<TimerTriggerService> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.Where(f => f.Metadata.Trigger.Type == "timerTrigger").Select(f => RunAsync(f, stoppingToken)));

    private async Task RunAsync(FunctionInvoker function, CancellationToken stoppingToken)
    {
        var trigger = function.Metadata.Trigger;
        var schedule = TimerSchedule.Parse(trigger.Get("schedule")!, configuration);
        var last = time.GetUtcNow();
        var runNow = trigger.Get("runOnStartup") == "true";
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = schedule.Next(last);
            if (!runNow)
            {
                LocalHostLog.TimerScheduled(log, function.Name, schedule.Expression, next);
                var delay = next - time.GetUtcNow();
                if (delay > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(delay, time, stoppingToken);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
            runNow = false;
            last = time.GetUtcNow();
            var info = new TimerInfo
            {
                IsPastDue = last - next > TimeSpan.FromSeconds(1),
                ScheduleStatus = new ScheduleStatus { Last = last.UtcDateTime, Next = schedule.Next(last).UtcDateTime, LastUpdated = last.UtcDateTime },
            };
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await function.InvokeAsync(scope.ServiceProvider, new Invocation(null, info, stoppingToken));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LocalHostLog.TimerFailed(log, e, function.Name);
            }
        }
    }
}
