using AuthServer.Core.Audit;
using AuthServer.Core.SignIn;
using Microsoft.AspNetCore.Mvc.Filters;

namespace AuthServer.WebConsole;

/// <summary>
/// Makes the signed-in person the audit actor (<c>ui:NAME</c>) of every change a console page
/// makes through the domain services, as the admin API does with <c>api:NAME</c>.
/// </summary>
public sealed class ConsoleActor(AuditActor actor) : IAsyncPageFilter
{
    public const string Prefix = "ui:";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.Identity?.IsAuthenticated == true)
            actor.Set(Prefix + http.User.AccountName(), ClientAddress.Display(http.Connection.RemoteIpAddress));
        return next();
    }
}
