using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Json;

namespace Newsroom.LocalHost.Hosting;

/// <summary>What one invocation gets: the HTTP context, or the trigger's payload (a QueueMessage, a TimerInfo).</summary>
public sealed record Invocation(HttpContext? Http, object? TriggerValue, CancellationToken CancellationToken);

/// <summary>
/// Calls one function method the way the isolated worker does: a new instance of the function class per
/// invocation from a DI scope, parameters bound from the trigger. Every parameter is checked when the
/// invoker is created, so a function the local host cannot run fails at start (and in the wiring test),
/// not on its first request.
/// </summary>
public sealed class FunctionInvoker
{
    private readonly MethodInfo _method;
    private readonly ObjectFactory? _factory;
    private readonly Func<Invocation, object?>[] _arguments;

    private FunctionInvoker(FunctionMetadata metadata, MethodInfo method, Func<Invocation, object?>[] arguments)
    {
        Metadata = metadata;
        _method = method;
        _arguments = arguments;
        _factory = method.IsStatic ? null : ActivatorUtilities.CreateFactory(method.DeclaringType!, Type.EmptyTypes);
    }

    public FunctionMetadata Metadata { get; }

    public string Name => Metadata.Name;

    public static FunctionInvoker Create(FunctionMetadata metadata)
    {
        var method = metadata.ResolveMethod();
        var trigger = metadata.Trigger;
        var arguments = method.GetParameters().Select(p => BindParameter(metadata, trigger, p)).ToArray();
        return new FunctionInvoker(metadata, method, arguments);
    }

    public async Task<object?> InvokeAsync(IServiceProvider services, Invocation invocation)
    {
        var instance = _factory?.Invoke(services, null);
        try
        {
            var args = new object?[_arguments.Length];
            for (var i = 0; i < args.Length; i++)
            {
                args[i] = _arguments[i](invocation);
            }
            object? result;
            try
            {
                result = _method.Invoke(instance, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
            return await UnwrapAsync(result);
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync(); break;
                case IDisposable disposable: disposable.Dispose(); break;
            }
        }
    }

    private static async Task<object?> UnwrapAsync(object? result)
    {
        switch (result)
        {
            case Task task:
                await task;
                var type = task.GetType();
                return type.IsGenericType && type.GetGenericArguments()[0].Name != "VoidTaskResult"
                    ? type.GetProperty(nameof(Task<object>.Result))!.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            default:
                return result;
        }
    }

    private static Func<Invocation, object?> BindParameter(FunctionMetadata function, BindingMetadata trigger, ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (type == typeof(CancellationToken))
        {
            return i => i.CancellationToken;
        }
        if (parameter.Name == trigger.Name)
        {
            return (trigger.Type, type) switch
            {
                ("httpTrigger", _) when type == typeof(HttpRequest) => i => i.Http!.Request,
                ("timerTrigger", _) when type == typeof(TimerInfo) => i => i.TriggerValue,
                ("queueTrigger", _) when type == typeof(QueueMessage) => i => i.TriggerValue,
                ("queueTrigger", _) when type == typeof(string) => i => Body(i).ToString(),
                ("queueTrigger", _) when type == typeof(BinaryData) => i => Body(i),
                ("queueTrigger", _) when type == typeof(byte[]) => i => Body(i).ToArray(),
                ("queueTrigger", _) when !type.IsPrimitive && type != typeof(object) =>
                    i => JsonSerializer.Deserialize(Body(i).ToMemory().Span, type, NewsroomJson.Options),
                _ => throw Unsupported(function, parameter),
            };
        }
        if (trigger.Type == "httpTrigger" && IsRouteParameter(trigger, parameter.Name!))
        {
            var converter = TypeDescriptor.GetConverter(type);
            var name = parameter.Name!;
            return i => i.Http!.Request.RouteValues.TryGetValue(name, out var value) && value is not null
                ? converter.ConvertFrom(null, CultureInfo.InvariantCulture, value.ToString()!)
                : parameter.HasDefaultValue ? parameter.DefaultValue : null;
        }
        throw Unsupported(function, parameter);
    }

    private static BinaryData Body(Invocation invocation) => ((QueueMessage)invocation.TriggerValue!).Body;

    private static bool IsRouteParameter(BindingMetadata trigger, string name) =>
        trigger.Get("route") is { } route && route.Contains('{' + name, StringComparison.OrdinalIgnoreCase);

    private static NotSupportedException Unsupported(FunctionMetadata function, ParameterInfo parameter) =>
        new($"The local host cannot bind parameter '{parameter.Name}' ({parameter.ParameterType.Name}) of function {function.Name}. " +
            "Function methods take the trigger value, route values and a CancellationToken; reach everything else through injected services.");
}
