"""The committee's side: the readers with their status, consent and history; import, export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from abonnements.imports import export_csv, import_csv
from abonnements.models import Delivery, Event, Status, Subscriber, Suppression

if TYPE_CHECKING:
    from django.db.models import Field, QuerySet
    from django.http import HttpRequest
    from django.urls import URLPattern


class ImportForm(forms.Form):
    file = forms.FileField(label='Fichier CSV (export Excel accepté)')


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    readonly_fields = ('at', 'kind', 'detail')
    can_delete = False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ('email', 'name', 'status', 'consent_at', 'consent_method', 'created_at')
    list_filter = ('status', 'consent_method')
    search_fields = ('email_key', 'name')
    readonly_fields = ('public_id', 'created_at', 'confirmed_at', 'unsubscribed_at')
    inlines = (EventInline,)
    actions = ('export', 'mark_bounced', 'mark_unsubscribed')
    change_list_template = 'admin/abonnements/subscriber/change_list.html'
    # One labelled field for the consent's date, not the admin's two unlabelled inputs
    # (axe-core: « label »).
    formfield_overrides: ClassVar[dict[type[Field[Any, Any]], dict[str, Any]]] = {
        models.DateTimeField: {'form_class': forms.DateTimeField, 'widget': forms.DateTimeInput}
    }

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                'importer/',
                self.admin_site.admin_view(self.import_view),
                name='abonnements_subscriber_import',
            )
        ]
        return extra + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            return redirect('admin:index')
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == 'POST' and form.is_valid():
            try:
                report = import_csv(form.cleaned_data['file'].read())
            except ValueError as error:
                messages.error(request, f'Import impossible : {error}')
            else:
                messages.success(
                    request,
                    f'{report.added} abonné(s) importé(s), {report.known} déjà connu(s), '
                    f'{report.erased} effacé(s) à leur demande, {len(report.invalid)} invalide(s).',
                )
                for line in report.invalid[:50]:
                    messages.warning(request, f'Adresse invalide, {line}')
                return redirect('admin:abonnements_subscriber_changelist')
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            'form': form,
            'title': 'Importer la liste existante',
            'opts': self.model._meta,
        }
        return render(request, 'admin/abonnements/subscriber/import.html', context)

    @admin.action(description='Exporter en CSV')
    def export(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> HttpResponse:
        response = HttpResponse(export_csv(queryset), content_type='text/csv; charset=utf-8')
        response['Content-Disposition'] = 'attachment; filename="abonnes.csv"'
        return response

    @admin.action(description='Marquer en rebond')
    def mark_bounced(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> None:
        for subscriber in queryset:
            subscriber.set_status(Status.BOUNCED, 'comité')

    @admin.action(description='Désabonner')
    def mark_unsubscribed(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> None:
        for subscriber in queryset:
            subscriber.set_status(Status.UNSUBSCRIBED, 'comité')


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ('key_hash', 'created_at')
    readonly_fields = ('key_hash', 'created_at')


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """``make send``'s journal, to read: only ``make send`` writes it."""

    list_display = ('numero', 'address', 'state', 'code', 'updated_at')
    list_filter = ('numero', 'state')
    search_fields = ('address',)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
