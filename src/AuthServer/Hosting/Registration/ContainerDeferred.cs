using AuthServer.Core;

namespace AuthServer.Hosting;

/// <summary><see cref="Deferred{T}"/> resolved from the request's or command's scope on first use.</summary>
public sealed class ContainerDeferred<T>(IServiceProvider services) : Deferred<T> where T : notnull
{
    private T? _value;

    public override T Value => _value ??= services.GetRequiredService<T>();
}
