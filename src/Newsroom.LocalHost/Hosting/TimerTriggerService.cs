using System.Text.Json;
using Newsroom.LocalHost.Worker;
using Newsroom.LocalHost.Worker.Rpc;

namespace Newsroom.LocalHost.Hosting;

/// <summary>
/// Runs each timer-triggered function on its schedule, like the Functions host's timer listener: the
/// invocation carries the TimerInfo JSON the host sends ({"Schedule":…,"ScheduleStatus":{Last, Next,
/// LastUpdated},"IsPastDue":…}), and runOnStartup is honoured.
/// </summary>
public sealed class TimerTriggerService(
    FunctionsWorker worker,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<TimerTriggerService> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(worker.Functions.Where(f => f.Trigger.Type == "timerTrigger").Select(f => RunAsync(f, stoppingToken)));

    private async Task RunAsync(FunctionMetadata function, CancellationToken stoppingToken)
    {
        var trigger = function.Trigger;
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
            var previous = last;
            var now = time.GetUtcNow();
            last = runNow ? now : TimerSchedule.Occurrence(next, now);
            runNow = false;
            var info = new
            {
                Schedule = new { AdjustForDST = true },
                ScheduleStatus = new { Last = previous, Next = next, LastUpdated = previous },
                IsPastDue = now - next > TimeSpan.FromSeconds(1),
            };
            var request = new InvocationRequest
            {
                InvocationId = Guid.NewGuid().ToString(),
                FunctionId = function.FunctionId,
                InputData = { new ParameterBinding { Name = trigger.Name, Data = new TypedData { Json = JsonSerializer.Serialize(info) } } },
                TriggerMetadata = { ["TimerTrigger"] = new TypedData { String = last.ToString("O", System.Globalization.CultureInfo.InvariantCulture) } },
            };
            try
            {
                var connection = await worker.ReadyAsync(stoppingToken);
                var response = await worker.InvokeAsync(connection, request, stoppingToken);
                if (response.Result.Status != StatusResult.Types.Status.Success)
                {
                    LocalHostLog.TimerFailed(log, function.Name, response.Result.Exception?.Message ?? "failed");
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is WorkerUnavailableException or TimeoutException)
            {
                LocalHostLog.TimerFailed(log, function.Name, e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
