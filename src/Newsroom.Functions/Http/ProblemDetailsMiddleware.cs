using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using Newsroom.Http;

namespace Newsroom.Functions.Http;

/// <summary>Turns a failure of an HTTP function into problem+json instead of the host's bare 500.</summary>
public sealed class ProblemDetailsMiddleware(ILogger<ProblemDetailsMiddleware> log) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (context.GetHttpContext() is not null)
        {
            var invocation = context.GetInvocationResult();
            if (exception is NewsroomException expected)
            {
                FunctionsLog.RequestRefused(log, context.FunctionDefinition.Name, expected.GetType().Name, expected.Message);
                invocation.Value = Problems.From(expected);
            }
            else if (exception is BadHttpRequestException badRequest)
            {
                // Kestrel's own refusals while the function reads the body (its size limit, a cut connection).
                FunctionsLog.RequestRefused(log, context.FunctionDefinition.Name, nameof(BadHttpRequestException), badRequest.Message);
                invocation.Value = Problems.Create(badRequest.StatusCode, badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Bad request", badRequest.Message);
            }
            else if (exception is OperationCanceledException && (context.CancellationToken.IsCancellationRequested || context.GetHttpContext()!.RequestAborted.IsCancellationRequested))
            {
                // The reader left (or the host is stopping) before the answer was ready: nothing failed, nobody reads it.
                FunctionsLog.RequestAbandoned(log, context.FunctionDefinition.Name);
                invocation.Value = Problems.Create(StatusCodes.Status499ClientClosedRequest, "Client closed request", "The request was cancelled before the answer was ready.");
            }
            else
            {
                FunctionsLog.RequestFailed(log, exception, context.FunctionDefinition.Name);
                invocation.Value = Problems.Unexpected();
            }
        }
    }
}
