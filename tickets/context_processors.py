from . import permissions


def roles(request):
    """The viewer's role, for the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_agent": False, "is_supervisor": False}
    return {
        "is_agent": permissions.is_agent(user),
        "is_supervisor": permissions.is_supervisor(user),
    }
