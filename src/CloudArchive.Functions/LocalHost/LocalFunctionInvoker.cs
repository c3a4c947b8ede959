using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using CloudArchive.Functions.Middleware;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.LocalHost;

/// <summary>
/// Runs one invocation the way the worker does: a service scope per invocation, the function class activated with
/// constructor injection, its parameters bound from the trigger (message text, <see cref="HttpRequest"/>,
/// <see cref="TimerInfo"/>, <see cref="FunctionContext"/>, <see cref="CancellationToken"/>), all inside
/// <see cref="InvocationMiddleware"/>. An invocation fails exactly when its task faults, as under the host.
/// </summary>
internal sealed class LocalFunctionInvoker
{
    private readonly IServiceProvider _services;
    private readonly InvocationMiddleware _middleware;

    public LocalFunctionInvoker(IServiceProvider services, LocalFunctionCatalog catalog, InvocationMiddleware middleware)
    {
        _services = services;
        Catalog = catalog;
        _middleware = middleware;
    }

    public LocalFunctionCatalog Catalog { get; }

    /// <summary>Delivers a queue message's text to a queue-triggered function.</summary>
    /// <param name="function">The function.</param>
    /// <param name="message">The message text as stored (host.json <c>messageEncoding: none</c>).</param>
    /// <param name="messageId">The message id.</param>
    /// <param name="dequeueCount">Its delivery count, starting at 1.</param>
    /// <param name="insertedOn">When it was enqueued.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    public Task InvokeQueueAsync(LocalFunction function, string message, string messageId, long dequeueCount, DateTimeOffset? insertedOn, CancellationToken cancellationToken)
    {
        Require(function, LocalTriggerKind.Queue);
        var data = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Id"] = messageId,
            [QueueBindingData.DequeueCountKey] = dequeueCount.ToString(CultureInfo.InvariantCulture),
            ["InsertionTime"] = insertedOn?.ToString("O", CultureInfo.InvariantCulture),
        };
        return InvokeAsync(function, data, null, message, cancellationToken);
    }

    /// <summary>Answers an HTTP request with an HTTP-triggered function.</summary>
    public Task InvokeHttpAsync(LocalFunction function, HttpContext http)
    {
        Require(function, LocalTriggerKind.Http);
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in http.Request.RouteValues)
        {
            data[key] = value?.ToString();
        }

        return InvokeAsync(function, data, http, null, http.RequestAborted);
    }

    /// <summary>Runs a timer-triggered function once.</summary>
    public Task InvokeTimerAsync(LocalFunction function, TimerInfo timer, CancellationToken cancellationToken)
    {
        Require(function, LocalTriggerKind.Timer);
        return InvokeAsync(function, new Dictionary<string, object?>(StringComparer.Ordinal), null, timer, cancellationToken);
    }

    private async Task InvokeAsync(LocalFunction function, IReadOnlyDictionary<string, object?> bindingData, HttpContext? http, object? trigger, CancellationToken cancellationToken)
    {
        await using var scope = _services.CreateAsyncScope();
        var context = new LocalFunctionContext(function, scope.ServiceProvider, bindingData, cancellationToken, http);
        await _middleware.Invoke(context, async ctx =>
        {
            var instance = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(ctx.InstanceServices, function.Type);
            try
            {
                var result = await CallAsync(function.Method, instance, Arguments(function.Method, ctx, http, trigger, cancellationToken)).ConfigureAwait(false);
                if (http is not null && result is IActionResult action and not EmptyResult)
                {
                    await action.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor())).ConfigureAwait(false);
                }
            }
            finally
            {
                switch (instance)
                {
                    case IAsyncDisposable asyncDisposable:
                        await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                        break;
                    case IDisposable disposable:
                        disposable.Dispose();
                        break;
                }
            }
        }).ConfigureAwait(false);
    }

    private static object?[] Arguments(MethodInfo method, FunctionContext context, HttpContext? http, object? trigger, CancellationToken cancellationToken) =>
        [.. method.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(FunctionContext) => context,
            var t when t == typeof(CancellationToken) => cancellationToken,
            var t when t == typeof(HttpRequest) => http?.Request,
            var t when t == typeof(HttpContext) => http,
            var t when trigger is not null && t.IsInstanceOfType(trigger) => trigger,
            _ => throw new InvalidOperationException($"The local host cannot bind parameter '{p.Name}' ({p.ParameterType.Name}) of {method.DeclaringType?.Name}.{method.Name}."),
        })];

    private static async Task<object?> CallAsync(MethodInfo method, object? instance, object?[] arguments)
    {
        object? returned;
        try
        {
            returned = method.Invoke(instance, arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }

        switch (returned)
        {
            case Task task:
                await task.ConfigureAwait(false);
                return method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
                    ? method.ReturnType.GetProperty(nameof(Task<object>.Result))!.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                return null;
            default:
                return returned;
        }
    }

    private static void Require(LocalFunction function, LocalTriggerKind kind)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (function.Trigger != kind)
        {
            throw new ArgumentException($"Function '{function.Name}' is not {kind}-triggered.", nameof(function));
        }
    }
}
