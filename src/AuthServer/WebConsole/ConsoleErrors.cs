using AuthServer.Core.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthServer.WebConsole;

/// <summary>
/// Turns a domain service's refusal into what a person can act on: a page that is not there is
/// the console's 404 page; a refused change shows the page again with the message beside the
/// form, with the status the admin API would answer (400, 404, 409).
/// </summary>
public sealed class ConsoleErrors : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is not DomainException refusal || executed.ExceptionHandled) return;
        executed.ExceptionHandled = true;
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || context.HandlerInstance is not ConsolePage page)
        {
            executed.Result = new StatusCodeResult(refusal is NotFoundException ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
            return;
        }
        page.ModelState.AddModelError(refusal is ValidationFailedException v ? v.Field : "", refusal.Message);
        try
        {
            await page.LoadAsync(http.RequestAborted);
        }
        catch (NotFoundException)
        {
            executed.Result = new StatusCodeResult(StatusCodes.Status404NotFound);
            return;
        }
        http.Response.StatusCode = refusal switch
        {
            NotFoundException => StatusCodes.Status404NotFound,
            ConflictException => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
        executed.Result = new PageResult();
    }
}
