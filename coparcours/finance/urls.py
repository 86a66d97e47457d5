from django.urls import path

from coparcours.finance import views

app_name = "finance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("prix-de-journee/", views.rates, name="rates"),
    path("factures/", views.invoices, name="invoices"),
    path("factures/<int:pk>/", views.invoice_detail, name="invoice"),
    path("factures/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("factures/<int:pk>/annexe.xlsx", views.invoice_annex, name="invoice_annex"),
    path("factures/<int:pk>/avoir/", views.invoice_credit_note, name="invoice_credit_note"),
    path("versements/", views.payments, name="payments"),
    path("versements/releve/", views.bank_import, name="bank_import"),
    path("versements/<int:pk>/", views.payment_detail, name="payment"),
    path("compte-du-groupement/", views.ledger, name="ledger"),
    path("membres/", views.member_positions, name="members"),
    path("balances/", views.balances, name="balances"),
    path("balances/budget/", views.budget, name="budget"),
    path("affectations/", views.mapping, name="mapping"),
    path("compte-administratif/", views.administrative_account, name="account"),
    path("compte-administratif.xlsx", views.administrative_account_xlsx, name="account_xlsx"),
    path("compte-administratif.pdf", views.administrative_account_pdf, name="account_pdf"),
]
