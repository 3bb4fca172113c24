from __future__ import annotations

from django.contrib import admin
from django.urls import path

from abonnements import views

admin.site.site_header = 'Galien : abonnements'
admin.site.site_title = 'Galien : abonnements'
admin.site.index_title = 'Administration des abonnements'

urlpatterns = [
    path('', views.subscribe, name='inscription'),
    path('merci/', views.thanks, name='merci'),
    path('confirmer/<str:token>/', views.confirm, name='confirmer'),
    path('desinscription/<str:token>/', views.unsubscribe, name='desinscription'),
    path('donnees/', views.data_request, name='donnees'),
    path('donnees/<str:token>/', views.reader_data, name='donnees_lecteur'),
    path('confidentialite/', views.privacy, name='confidentialite'),
    path('sante/', views.health, name='sante'),
    path('admin/', admin.site.urls),
]
