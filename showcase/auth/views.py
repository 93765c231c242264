"""Login, logout, own password, and user management for admins."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from showcase.auth import services, throttle
from showcase.auth.access import requires, safe_next
from showcase.auth.forms import LanguageForm, LoginForm, LogoutForm, PasswordForm, UserForm
from showcase.errors import ValidationFailed
from showcase.forms import save_with
from showcase.unit_of_work import attempt


@requires("public")
def login():
    form = LoginForm()
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")) or url_for("workspace.dashboard"))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), (400 if form.errors else 200)
    attempt = throttle.count_attempt(form.email.data)
    if not attempt.allowed:
        minutes = max(1, -(-attempt.retry_after // 60))
        form.form_errors.append(
            ngettext(
                "Too many sign-in attempts. Try again in %(num)d minute.",
                "Too many sign-in attempts. Try again in %(num)d minutes.",
                minutes,
            )
        )
        response = make_response(render_template("auth/login.html", form=form), 429)
        response.headers["Retry-After"] = str(attempt.retry_after)
        return response
    try:
        user = services.authenticate(form.email.data, form.password.data)
    except services.LoginFailed as exc:
        form.form_errors.append(_(exc.message))
        return render_template("auth/login.html", form=form), 401
    session.clear()  # a new session at login: nothing from before carries over
    login_user(user, remember=bool(form.remember.data))
    response = redirect(safe_next(request.args.get("next")) or url_for("workspace.dashboard"))
    return throttle.succeeded(attempt, response)


@requires("viewer")
def logout():
    if LogoutForm().validate_on_submit():
        signed_out = _("You are signed out.")  # in the language of the user who leaves
        services.end_sessions(current_user)
        logout_user()
        session.clear()
        flash(signed_out, "info")
    return redirect(url_for("auth.login"))


@requires("viewer")
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            attempt(lambda: services.change_own_password(current_user, current=form.current.data, new=form.new.data))
        except services.LoginFailed as exc:
            form.current.errors = [_(exc.message)]
        except ValidationFailed as exc:
            form.new.errors = [exc.errors.get("password", exc.message)]
        else:
            login_user(current_user._get_current_object())  # keep this browser signed in
            flash(_("Password changed. Other devices have been signed out."), "success")
            return redirect(url_for("workspace.dashboard"))
    return render_template("auth/change_password.html", form=form)


@requires("viewer")
def set_language():
    """Store the language the signed-in user chose, then back to the page the switch was on."""
    form = LanguageForm()
    if form.validate_on_submit():
        try:
            attempt(lambda: services.set_language(current_user, form.language.data))
        except ValidationFailed:
            flash(_("Choose Chinese or English."), "error")
    return redirect(safe_next(form.next.data) or url_for("workspace.dashboard"), 303)


@requires("admin")
def list_users():
    return render_template("auth/list_users.html", users=services.list_users())


@requires("admin")
def create_user():
    form = UserForm()
    if form.validate_on_submit() and save_with(
        form,
        lambda: services.create_user(
            email=form.email.data,
            name=form.name.data,
            role=form.role.data,
            password=form.password.data,
            actor=current_user,
        ),
    ):
        flash(_("Account created."), "success")
        return redirect(url_for("auth.list_users"))
    return render_template("auth/create_user.html", form=form), (400 if form.errors or form.form_errors else 200)
